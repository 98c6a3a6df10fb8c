"""Whatever JSON a bureau admin uploads, the checks answer with problems, never an exception,
and a definition they accept can be scored."""
from hypothesis import given, settings, strategies as st

from xinshao.instruments.engine import compile_definition, validate_definition

from .definitions import minimal_definition

JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 10) | st.floats(allow_nan=True) | st.sampled_from(["", "all", "m_1", "x"]),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.sampled_from(["id", "min", "max", "items", "x"]), children, max_size=3),
    max_leaves=6,
)


def _paths(node, path=()):
    yield path
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, (*path, index))


def _replace(node, path, value):
    if not path:
        return value
    *parents, last = path
    target = node
    for key in parents:
        target = target[key]
    target[last] = value
    return node


@settings(max_examples=400, deadline=None)
@given(data=st.data())
def test_any_mutation_gives_problems_not_an_exception(data):
    definition = minimal_definition()
    path = data.draw(st.sampled_from(list(_paths(definition))))
    mutated = _replace(definition, path, data.draw(JSON))
    problems = validate_definition(mutated)
    assert all(isinstance(problem, str) for problem in problems)
    if not problems:
        compiled = compile_definition(mutated)
        compiled.score(data.draw(st.lists(st.one_of(st.none(), st.integers(-1, 3)), max_size=5)))
