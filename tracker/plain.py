"""Plain records for the declarations every command reads, and why not named tuples.

The kinds (tracker/kinds.py), the command table (tracker/cli/table.py) and the fast
path's parse (tracker/cli/fast.py) are imported by every read. They were
`typing.NamedTuple` classes, which cost more than they seem: under `from __future__
import annotations` each field's annotation is a string that typing compiles, and the
first `compile()` of a process costs about 2.5 ms here (10 million instructions, as
much as all of tracker's own imports), each further class about 0.2 ms. A class with
`__slots__` and a hand-written `__init__` costs a twentieth of that.

Records that must stay tuples (sorted, unpacked: a PartialDate, a Problem) are
`collections.namedtuple` classes at run time instead, with a `typing.NamedTuple` twin
under TYPE_CHECKING for mypy; that costs no `compile()` of annotations.

Subclasses of Plain list their fields in `__slots__` and set them in `__init__`; Plain
gives them equality and hashing by value, a readable repr and `_replace`, as named
tuples had.
"""

from __future__ import annotations

from typing import Any, Self


class Plain:
    __slots__: tuple[str, ...] = ()

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash((type(self).__name__, self._values()))

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"{type(self).__name__}({fields})"

    def _replace(self, **changes: Any) -> Self:
        """A copy with some fields changed (as a named tuple's `_replace`)."""
        unknown = set(changes) - set(self.__slots__)
        if unknown:
            raise TypeError(f"{type(self).__name__} has no field {sorted(unknown)[0]!r}")
        copy = object.__new__(type(self))
        for name in self.__slots__:
            object.__setattr__(copy, name, changes.get(name, getattr(self, name)))
        return copy
