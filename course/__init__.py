"""The course kit around the notebooks: the student edition (``python -m course.student``)
and the static site (``python -m course.site``). Tools for instructors, not part of the
lesson's package."""
