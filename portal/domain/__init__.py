"""Plain-Python rules of the programme: no Flask, no database. "Today" is always passed in."""
