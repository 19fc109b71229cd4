"""Extensions, created unbound and initialised by the app factory."""

from typing import TYPE_CHECKING

from flask_babel import Babel
from flask_compress import Compress
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import Column, ForeignKey, MetaData, Table
from sqlalchemy.orm import DeclarativeBase

# Named constraints, so that migrations can find them again on every database.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
# What models derive from: Flask-SQLAlchemy's db.Model, which is the Base above with a
# query property; type checkers see it as the Base it is made from.
if TYPE_CHECKING:
    Model = Base
else:
    Model = db.Model
babel = Babel()
migrate = Migrate()
csrf = CSRFProtect()
compress = Compress()
login_manager = LoginManager()


def link_table(name: str, left: str, right: str) -> Table:
    """A many-to-many table between two tables' ids, rows going with either side."""
    return Table(
        name,
        db.metadata,
        Column(f"{left}_id", ForeignKey(f"{left}.id", ondelete="CASCADE"), primary_key=True),
        Column(f"{right}_id", ForeignKey(f"{right}.id", ondelete="CASCADE"), primary_key=True),
    )
