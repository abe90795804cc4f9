"""spor/common/records.py: the small stand-in for dataclasses that spor's records use."""

import pytest

from spor.common.records import field, record


@record
class Sample:
    """A record with every kind of field."""

    name: str
    count: int = 3
    items: list = field(default_factory=list)
    note: str = field(default="none")


def test_fields_in_order_with_defaults_and_fresh_factories():
    one, two = Sample("a"), Sample("b", 5, ["x"], note="n")
    assert (one.name, one.count, one.items, one.note) == ("a", 3, [], "none")
    assert (two.name, two.count, two.items, two.note) == ("b", 5, ["x"], "n")
    one.items.append(1)
    assert Sample("c").items == []  # each record gets its own list
    assert repr(two) == "Sample(name='b', count=5, items=['x'], note='n')"
    assert one != Sample("a")  # identity, as with eq=False


def test_a_required_field_after_a_default_is_refused():
    with pytest.raises(TypeError, match="without a default follows"):

        @record
        class Bad:
            first: int = 1
            second: int


def test_post_init_runs_after_the_fields_are_set():
    @record
    class Derived:
        base: int
        extra: dict = field(default_factory=dict)

        def __post_init__(self):
            self.double = self.base * 2

    assert Derived(4).double == 8
    with pytest.raises(TypeError):
        Derived()


def test_init_is_compiled_when_the_class_is_first_used():
    @record
    class Lazy:
        value: int = 1

    assert Lazy.__init__.__name__ == "first_init"  # defining a record compiles nothing
    assert Lazy(5).value == 5 and Lazy().value == 1
    assert Lazy.__init__.__qualname__.endswith("Lazy.__init__")  # the real one, from then on
    with pytest.raises(TypeError):
        Lazy(1, 2)
