# nbgrader's configuration for the course directory that `make nbgrader` writes
# (course/nbgrader.py copies this file there), as tests/classroom/ uses it. nbgrader reads
# it from the folder it runs in.
import os

c = get_config()  # noqa: F821 (nbgrader defines it)

c.CourseDirectory.course_id = "rnnlesson"
# The exchange, where released assignments and submissions wait: a folder every learner's
# server can read and write. nbgrader's default; the tests set NBGRADER_EXCHANGE to a
# temporary folder.
c.Exchange.root = os.environ.get("NBGRADER_EXCHANGE", "/srv/nbgrader/exchange")
# What replaces a reference answer in the learners' copy: the placeholder above it stays,
# so the learner fills it in; no `raise NotImplementedError()`, the test cell's checker
# says "Not yet".
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE"}
# Autograding: a cell that runs longer than this is stopped and its notebook's tests score
# 0.
c.Execute.timeout = int(os.environ.get("NBGRADER_CELL_TIMEOUT", "120"))
# How long to wait for a cell's output after it finished (nbclient's default, 4 s, failed
# whole notebooks here on a busy machine: "Timeout waiting for IOPub output").
c.Execute.iopub_timeout = 120
