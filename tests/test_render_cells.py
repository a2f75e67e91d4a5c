"""Stage 5: cells of the docs tables and safe strings in generated code."""

from __future__ import annotations

import ast

from sdkgen.model import Const, ListOf, MapOf, Ref, Scalar
from sdkgen.naming import Names
from sdkgen.pytypes import TypeContext
from sdkgen.render import docs
from sdkgen.render.views import docstring

CTX = TypeContext(Names(types={"#/k": "Message"}), {}, "")


def test_type_cells_follow_the_seed_rules() -> None:
    s = Scalar("str")
    assert docs.type_cell(s, True, CTX, "../../") == "*str*"
    assert docs.type_cell(s.with_nullable(), False, CTX, "") == "*OptionalNullable[str]*"
    assert docs.type_cell(s.with_nullable(), True, CTX, "") == "*Nullable[str]*"
    assert docs.type_cell(Scalar("bool"), False, CTX, "") == "*Optional[bool]*"
    assert docs.type_cell(Scalar("any"), False, CTX, "") == "*Optional[Any]*"
    ref = Ref("#/k")
    assert docs.type_cell(ref, True, CTX, "../../") == "[models.Message](../../models/message.md)"
    assert docs.type_cell(ref.with_nullable(), False, CTX, "../../") == (
        "[OptionalNullable[models.Message]](../../models/message.md)")
    lst = ListOf(ref, nullable=True)
    assert docs.type_cell(lst, False, CTX, "../../") == (
        "List[[models.Message](../../models/message.md)]")
    assert docs.type_cell(ListOf(Scalar("int")), False, CTX, "") == "List[*int*]"
    assert docs.type_cell(MapOf(Scalar("any")), False, CTX, "") == (
        "Dict[str, *Any*]")
    assert docs.type_cell(Const("assistant"), True, CTX, "") == '*Literal["assistant"]*'
    assert docs.type_cell(Const(True), True, CTX, "") == "*Literal[True]*"
    assert docs.type_cell(Scalar("datetime"), True, CTX, "").startswith("[datetime](https://")


def test_type_cells_follow_gen_yaml_import_paths() -> None:
    layout = docs.Layout("components", "operations", "errors", frozenset({"#/e"}))
    ctx = TypeContext(Names(types={"#/components/schemas/M": "M", "#/paths/~1x/get/r": "R",
                                   "#/e": "E"}), {}, "")
    assert docs.type_cell(Ref("#/components/schemas/M"), False, ctx, "../", layout) == (
        "[Optional[components.M]](../components/m.md)")
    assert docs.type_cell(Ref("#/paths/~1x/get/r"), True, ctx, "../../", layout) == (
        "[operations.R](../../operations/r.md)")
    # an error body's model stays in its own module (its exception is in `errors`)
    assert docs.plain_type(ListOf(Ref("#/e")), ctx, layout) == (
        "List[operations.E]")


def test_description_cells() -> None:
    assert docs.description_cell("") == "N/A"
    assert docs.description_cell("a\nb|c") == "a<br/>b\\|c"
    assert docs.description_cell("x", deprecated=True).startswith(": warning: ** DEPRECATED **")
    assert docs.description_cell("x", deprecated=True).endswith("<br/><br/>x")


def test_example_cells() -> None:
    assert docs.example_cell(True, True) == "true"
    assert docs.example_cell(True, 0) == "0"
    assert docs.example_cell(True, [{"a": 1}]) == "[<br/>{<br/>\"a\": 1<br/>}<br/>]"
    assert docs.example_cell(True, {"a": 1}, multiline=False) == '{"a": 1}'
    assert docs.example_cell(False, None) == ""


def test_tables_are_padded() -> None:
    t = docs.table(["A", "Bee"], [["long cell", "x"]]).splitlines()
    assert len({len(line) for line in t}) == 1
    assert t[1].startswith("| ---------")


def test_docstrings_survive_hostile_text() -> None:
    for text in ['"""; import os; """', "ends with quote\"", "back\\slash \\", "nul\x00byte",
                 "{{ jinja }} {% raw %}", "\u202eRTL"]:
        src = f'def f():\n    """{docstring(text)}"""\n'
        tree = ast.parse(src)
        value = ast.get_docstring(tree.body[0], clean=False)
        assert value is not None


def test_numbers_print_as_the_reference_generator_prints_them() -> None:
    # shortest digits, no `.0`, exponent form below 1e-4 and from 1e21 up
    cases = {50.0: "50", 74.5: "74.5", 0.0001: "0.0001", 1e-05: "1e-05", 999999.0: "999999",
             1677652288.0: "1677652288", 12345678.9: "12345678.9", -2.5: "-2.5",
             1e21: "1e+21", 0.1: "0.1"}
    for value, text in cases.items():
        assert docs.go_number(value) == text
    assert docs.example_cell(True, 1677652288, number=True) == "1677652288"
    assert docs.example_cell(True, {"a": 1.0, "b": [2.5]}) == '{<br/>"a": 1,<br/>"b": [<br/>2.5<br/>]<br/>}'


def test_initialisms_in_class_names() -> None:
    from sdkgen.plan.names import initialisms

    assert initialisms("ToolDefinitionJson") == "ToolDefinitionJSON"
    assert initialisms("AssistantMessageImagesImageUrl") == "AssistantMessageImagesImageURL"
    assert initialisms("ChainId") == "ChainID"
    assert initialisms("Identifier") == "Identifier"  # whole words only
    assert initialisms("OpenAIResponses") == "OpenAIResponses"
    assert initialisms("ApiKeys") == "APIKeys"


def test_deprecation_message_in_the_warning() -> None:
    # x-speakeasy-deprecation-message (appended by the build) goes into the warning
    assert docs.description_cell("Overlap.\n\nDeprecated: Use `mode` instead.", True) == (
        ": warning: ** DEPRECATED **: Use `mode` instead..<br/><br/>Overlap.")
    assert docs.description_cell("Deprecated: no effect.", True) == (
        docs.DEPRECATED_PREFIX + "Deprecated: no effect.")


def test_numeric_enum_members_in_words() -> None:
    from sdkgen.naming import enum_members

    assert enum_members((0, 1, -1, 137, 8453, "00")) == [
        ("ZERO", 0), ("ONE", 1), ("MINUS_1", -1), ("ONE_HUNDRED_AND_THIRTY_SEVEN", 137),
        ("EIGHT_THOUSAND_FOUR_HUNDRED_AND_FIFTY_THREE", 8453), ("ZERO2", "00")]
    # camelCase word boundaries count, as in the reference's names
    assert enum_members(("MasterCard", "text-embedding-3-large")) == [
        ("MASTER_CARD", "MasterCard"), ("TEXT_EMBEDDING_3_LARGE", "text-embedding-3-large")]
