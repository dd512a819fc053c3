"""Pages for the council's CSE training: its officers and trainers manage courses and sessions (training), learners
and school staff book (learning), and people who work with children register (learning_register)."""

from portal.web.training import elearning, learners, lists, trainers  # noqa: F401  (register their views on the training blueprint)
from portal.web.training.learning import bp as learning_bp
from portal.web.training.learning import register_bp
from portal.web.training.manage import bp
from portal.web.training.register import certificates_bp  # and its views on the training and learning blueprints

BLUEPRINTS = (bp, learning_bp, register_bp, certificates_bp)

__all__ = ["BLUEPRINTS"]
