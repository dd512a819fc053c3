# gunicorn reads this file from the directory it starts in (the repository root, as `make run` and the README do).
# Access log lines go to standard output, with capability and e-mailed-link tokens redacted.
accesslog = "-"
logger_class = "portal.access_log.RedactingLogger"
