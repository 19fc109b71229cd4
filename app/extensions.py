"""Extensions, created unbound and initialised by the app factory."""

from flask_babel import Babel
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import Column, ForeignKey, Table
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)
babel = Babel()


def link_table(name: str, left: str, right: str) -> Table:
    """A many-to-many table between two tables' ids, rows going with either side."""
    return Table(
        name,
        db.metadata,
        Column(f"{left}_id", ForeignKey(f"{left}.id", ondelete="CASCADE"), primary_key=True),
        Column(f"{right}_id", ForeignKey(f"{right}.id", ondelete="CASCADE"), primary_key=True),
    )
