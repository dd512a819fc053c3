"""Lesson packs for the theatre company and the council: add packs and their files, download them."""

from portal.web.packs.routes import bp

__all__ = ["bp"]
