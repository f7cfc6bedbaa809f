"""Every refusal the server sends reads Chinese first, the English after it: `中文 (English)`.

The scan reads core/ and checks each message where it is written: the message argument of
every refusal core builds (core.errors.LastmileError and its subclasses, ProblemError, the
Problem body, HTTPException, a request validator's ValueError, and the helpers that hand their
argument on to one of these, such as field_error) and the message a refusal class writes in
its own __init__. Which argument is the message comes from the code: LastmileError takes
`message` first, ProblemError `detail` second, and a subclass's __init__ (or a helper) is read
to see which of its parameters it hands on as the message (PayloadRejected(field, reason):
`reason`). A message given by a name, a constant, a dict of texts or a helper's return value
is followed to the literals it comes from; a caller's text handed on (a parameter) is checked
where the caller writes it.

A literal with English words must hold Chinese, the Chinese before the English's "(", and the
English in half-width parentheses: `中文（English）` is the old style.
"""

from __future__ import annotations

import ast
import builtins
import importlib
import inspect
import pkgutil
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.exceptions import HTTPException

import core
from core.contracts import Problem
from core.errors import LastmileError
from core.server import problems

REPO = Path(__file__).resolve().parents[2]
CJK = re.compile(r"[\u3400-\u9fff]")
LATIN = re.compile(r"[A-Za-z]")
# English inside full-width brackets (after any placeholders): `中文（English）`.
FULL_WIDTH_ENGLISH = re.compile(r"（(?:\{\}|\s)*[A-Za-z]")
HOLE = "{}"  # how an f-string's replacement field reads
MAX_DEPTH = 6

# Messages not yet in the one style, each to be fixed in its own file: (file, a piece of the
# literal). An entry that no longer matches fails the test, so the list only shrinks.
PENDING: set[tuple[str, str]] = set()

Slot = tuple[int | None, str]  # where a call gives the message: position, keyword
FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef


@dataclass(frozen=True)
class Text:
    path: str
    line: int
    text: str


@dataclass(frozen=True)
class Scope:
    module: ModuleType
    function: FunctionNode | None = None


def problem_with(text: str) -> str | None:
    """Why a message literal breaks the rule, or None (texts without English words pass)."""
    if not LATIN.search(text.replace(HOLE, "")):
        return None  # placeholders and punctuation only: its parts are checked where written
    if FULL_WIDTH_ENGLISH.search(text):
        return "English in full-width brackets"
    first_cjk = CJK.search(text)
    if first_cjk is None:
        return "English only"
    paren = text.find("(")
    if paren != -1 and paren < first_cjk.start():
        return "English before the Chinese"
    return None


# -- reading the code ---------------------------------------------------------------------

@cache
def core_modules() -> tuple[ModuleType, ...]:
    names = [m.name for m in pkgutil.walk_packages(core.__path__, "core.")
             if ".migrations" not in m.name]
    return (core, *(importlib.import_module(name) for name in names))


def relative(path: str | None) -> str:
    return Path(path or "?").resolve().relative_to(REPO).as_posix()


@cache
def tree_of(path: str) -> ast.Module:
    return ast.parse(Path(path).read_text(encoding="utf-8"))


def module_tree(module: ModuleType) -> ast.Module:
    return tree_of(module.__file__ or "")


@cache
def parameters(function: FunctionNode) -> list[str]:
    a = function.args
    return [p.arg for p in (*a.posonlyargs, *a.args, *a.kwonlyargs)] + [
        p.arg for p in (a.vararg, a.kwarg) if p is not None]


def own_nodes(function: FunctionNode) -> Iterator[ast.AST]:
    """The nodes of a function's body, not those of functions or classes nested in it."""
    todo: list[ast.AST] = list(function.body)
    while todo:
        node = todo.pop()
        yield node
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef
                          | ast.Lambda):
            todo.extend(ast.iter_child_nodes(node))


@cache
def assignments(function: FunctionNode) -> dict[str, list[ast.expr]]:
    """The values a function assigns to each of its local names."""
    found: dict[str, list[ast.expr]] = {}
    for node in own_nodes(function):
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign | ast.NamedExpr | ast.AugAssign) and node.value:
            targets, value = [node.target], node.value
        else:
            continue
        for target in targets:
            if isinstance(target, ast.Name):
                found.setdefault(target.id, []).append(value)
    return found


def assigned_values(function: FunctionNode, name: str) -> list[ast.expr]:
    return assignments(function).get(name, [])


def resolve(expr: ast.expr, scope: Scope) -> Any:
    """The object a module-level name or dotted name stands for (None: a local, or unknown)."""
    if isinstance(expr, ast.Name):
        if scope.function is not None and (expr.id in parameters(scope.function)
                                           or assigned_values(scope.function, expr.id)):
            return None
        if expr.id in vars(scope.module):
            return vars(scope.module)[expr.id]
        return getattr(builtins, expr.id, None)
    if isinstance(expr, ast.Attribute):
        base = resolve(expr.value, scope)
        return getattr(base, expr.attr, None) if base is not None else None
    return None


def function_node(fn: Any) -> tuple[Scope, FunctionNode] | None:
    """A core function's definition, as its module's tree holds it."""
    module = inspect.getmodule(fn) if inspect.isfunction(fn) else None
    if module is None or not module.__name__.startswith("core"):
        return None
    line = inspect.getsourcelines(fn)[1]
    for node in ast.walk(module_tree(module)):
        if (isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name == fn.__name__
                and line in (node.lineno, *(d.lineno for d in node.decorator_list))):
            return Scope(module, node), node
    return None


def literal(expr: ast.expr) -> str | None:
    """The words of a string expression, each replacement field as {}; None if not one."""
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return expr.value
    if isinstance(expr, ast.JoinedStr):
        return "".join(str(v.value) if isinstance(v, ast.Constant) else HOLE
                       for v in expr.values)
    if (isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute)
            and expr.func.attr == "format"):
        return literal(expr.func.value)
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add):
        left, right = literal(expr.left), literal(expr.right)
        if left is not None or right is not None:
            return (left if left is not None else HOLE) + (right if right is not None else HOLE)
    return None


def texts(expr: ast.expr | None, scope: Scope, depth: int = 0) -> Iterator[Text]:
    """The literals a message expression can be, followed through names and helpers."""
    if expr is None or depth > MAX_DEPTH:
        return
    path = relative(scope.module.__file__)
    words = literal(expr)
    if words is not None:
        yield Text(path, expr.lineno, words)
    elif isinstance(expr, ast.IfExp):
        yield from texts(expr.body, scope, depth + 1)
        yield from texts(expr.orelse, scope, depth + 1)
    elif isinstance(expr, ast.BoolOp):
        for value in expr.values:
            yield from texts(value, scope, depth + 1)
    elif isinstance(expr, ast.NamedExpr):
        yield from texts(expr.value, scope, depth + 1)
    elif isinstance(expr, ast.Name):
        if scope.function is not None and expr.id in parameters(scope.function):
            return  # the caller's text: checked where the caller writes it
        if scope.function is not None and (values := assigned_values(scope.function, expr.id)):
            for value in values:
                yield from texts(value, scope, depth + 1)
        elif isinstance(value := resolve(expr, scope), str):
            yield Text(path, expr.lineno, value)
    elif isinstance(expr, ast.Subscript) or (
            isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute)
            and expr.func.attr == "get"):
        # A text looked up in a module's dict: any of its texts.
        owner = expr.value if isinstance(expr, ast.Subscript) else expr.func
        if isinstance(expr, ast.Call) and isinstance(owner, ast.Attribute):
            owner = owner.value  # TABLE.get(key): the table
        table = resolve(owner, scope)
        if isinstance(table, dict):
            yield from (Text(path, expr.lineno, v) for v in table.values() if isinstance(v, str))
    elif isinstance(expr, ast.Call) and (found := function_node(resolve(expr.func, scope))):
        inner, node = found
        for returned in own_nodes(node):
            if isinstance(returned, ast.Return):
                yield from texts(returned.value, inner, depth + 1)


# -- which argument is the message --------------------------------------------------------

def super_init_calls(function: FunctionNode) -> list[ast.Call]:
    return [n for n in own_nodes(function) if isinstance(n, ast.Call)
            and isinstance(n.func, ast.Attribute) and n.func.attr == "__init__"
            and isinstance(n.func.value, ast.Call) and isinstance(n.func.value.func, ast.Name)
            and n.func.value.func.id == "super"]


def argument(call: ast.Call, slot: Slot) -> ast.expr | None:
    index, keyword = slot
    if (index is not None and index < len(call.args)
            and not any(isinstance(a, ast.Starred) for a in call.args[:index + 1])):
        return call.args[index]
    return next((k.value for k in call.keywords if k.arg == keyword), None)


def handed_on(function: FunctionNode, given: ast.expr | None) -> Slot | None:
    """The parameter of `function` that `given` is, as a call to `function` gives it."""
    if not isinstance(given, ast.Name) or given.id not in parameters(function):
        return None
    a = function.args
    positional = [p.arg for p in (*a.posonlyargs, *a.args)]
    if positional and positional[0] in ("self", "cls"):
        positional = positional[1:]
    return (positional.index(given.id) if given.id in positional else None, given.id)


def class_slot(mro: tuple[type, ...]) -> Slot | None:
    """Which argument of a refusal class (given by its MRO) is the message; None when its
    __init__ writes the message itself (checked there) or takes none."""
    if mro[0] is Problem:
        return (None, "detail")
    if issubclass(mro[0], HTTPException):
        return (1, "detail")
    for i, klass in enumerate(mro):
        if "__init__" not in vars(klass):
            continue
        if klass is LastmileError:
            return (0, "message")
        if klass is problems.ProblemError:
            return (1, "detail")
        found = function_node(vars(klass)["__init__"])
        parent = class_slot(mro[i + 1:]) if found is not None else None
        if found is None or parent is None:
            return None
        _, init = found
        slots = [handed_on(init, argument(call, parent)) for call in super_init_calls(init)]
        return next((s for s in slots if s is not None), None)
    return None


def refusal_class(value: Any) -> bool:
    return inspect.isclass(value) and (
        issubclass(value, LastmileError | problems.ProblemError | HTTPException)
        or value is Problem)


def in_validator(scope: Scope) -> bool:
    """Whether a ValueError here becomes a 422's message: a request schema's validator."""
    if scope.module.__name__.startswith("core.contracts"):
        return True
    for decorator in scope.function.decorator_list if scope.function else []:
        named = decorator.func if isinstance(decorator, ast.Call) else decorator
        name = named.id if isinstance(named, ast.Name) else getattr(named, "attr", "")
        if name.endswith("validator"):
            return True
    return False


Sinks = dict[Callable[..., Any], Slot]


def call_slot(call: ast.Call, scope: Scope, sinks: Sinks) -> Slot | None:
    """Where `call` gives a refusal's message, if it builds one."""
    target = resolve(call.func, scope)
    if refusal_class(target):
        return class_slot(target.__mro__)
    if target is ValueError and in_validator(scope):
        return (0, "message")
    return sinks.get(target) if inspect.isfunction(target) else None


@cache
def sink_functions() -> Sinks:
    """Module-level functions that hand a parameter on as a refusal's message (field_error,
    _problem, a 429 helper), with the parameter: their callers write the message."""
    sinks: Sinks = {problems.field_error: (2, "msg")}  # its message goes into an f-string
    functions = [(vars(m)[n.name], Scope(m, n)) for m in core_modules()
                 for n in module_tree(m).body
                 if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)
                 and inspect.isfunction(vars(m).get(n.name))]
    grew = True
    while grew:
        grew = False
        for fn, scope in functions:
            assert scope.function is not None
            if fn in sinks:
                continue
            for call in (n for n in own_nodes(scope.function) if isinstance(n, ast.Call)):
                slot = call_slot(call, scope, sinks)
                given = handed_on(scope.function, argument(call, slot)) if slot else None
                if given is not None:
                    sinks[fn], grew = given, True
                    break
    return sinks


def messages_of(module: ModuleType) -> Iterator[Text]:
    """Every refusal message `module` writes: at the calls that build refusals, and in the
    __init__ of its refusal classes (the message handed to super, and any `detail`)."""
    sinks = sink_functions()

    def visit(node: ast.AST, function: FunctionNode | None) -> Iterator[Text]:
        for child in ast.iter_child_nodes(node):
            inner = child if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef) \
                else function
            if isinstance(child, ast.Call):
                scope = Scope(module, inner)
                slot = call_slot(child, scope, sinks)
                if slot is not None:
                    yield from texts(argument(child, slot), scope)
            yield from visit(child, inner)

    yield from visit(module_tree(module), None)
    for klass in vars(module).values():
        if not (refusal_class(klass) and klass.__module__ == module.__name__
                and (found := function_node(vars(klass).get("__init__")))):
            continue
        scope, init = found
        parent = class_slot(klass.__mro__[1:])
        for call in super_init_calls(init) if parent is not None else []:
            given = argument(call, parent)  # type: ignore[arg-type]
            if handed_on(init, given) is None:
                yield from texts(given, scope)
        for node in own_nodes(init):
            if isinstance(node, ast.Assign) and any(
                    isinstance(t, ast.Attribute) and t.attr == "detail" for t in node.targets):
                yield from texts(node.value, scope)


def breaches() -> dict[Text, str]:
    found: dict[Text, str] = {}
    for module in core_modules():
        for text in messages_of(module):
            why = problem_with(text.text)
            if why is not None:
                found[text] = why
    return found


# -- the tests ----------------------------------------------------------------------------

def test_every_refusal_message_is_chinese_first() -> None:
    sources = {p.relative_to(REPO).as_posix() for p in (REPO / "core").rglob("*.py")
               if "migrations" not in p.parts}
    assert {relative(m.__file__) for m in core_modules()} == sources  # every file is read
    found = breaches()
    wrong = sorted(f"{t.path}:{t.line}: {why}: {t.text!r}" for t, why in found.items()
                   if not any(t.path == path and piece in t.text for path, piece in PENDING))
    assert wrong == [], "write 中文 (English), as core/orders/errors.py does"
    fixed = sorted(p for p in PENDING if not any(
        t.path == p[0] and p[1] in t.text for t in found))
    assert fixed == []  # fixed meanwhile: take it off PENDING


def test_the_rule_reads_the_one_style() -> None:
    assert problem_with("请说明原因 (action 'x' needs a reason)") is None
    assert problem_with("{}: {}") is None
    assert problem_with("最后一步（人工派单）不设时限 (the last stage has no time limit)") is None
    assert problem_with("今日单量已满（{}/{}）") is None
    assert problem_with("unexpected server error ({}); it was logged") == "English only"
    assert problem_with("应为列表（must be a list）") == "English in full-width brackets"
    assert problem_with("{}（{} needs minutes）") == "English in full-width brackets"
    assert problem_with("(the token is unknown) 登录已失效") == "English before the Chinese"


def test_the_scan_finds_messages_wherever_they_are_written() -> None:
    seen = {t.text for module in core_modules() for t in messages_of(module)}

    # Each written another way: a literal at the call (a 401); a module constant; a helper that
    # hands its argument on (a 429); PayloadRejected's second argument; a dict of texts; a
    # factory's literal; a class's own __init__; a helper's return value given by a local
    # name (a stale webhook); field_error's third argument.
    for piece in ["the token is unknown, expired or revoked", "wrong user name or password",
                  "too many failed sign-ins", "(empty payload)", "claim an order through",
                  "this login is not linked", "needs a reason",
                  "the request carries no signed time", "is not a known adcode"]:
        assert any(piece in text for text in seen), piece
    # A parameter handed on is checked where its callers write it, not reported as `{}`.
    assert HOLE not in seen


def test_the_routers_own_refusals_read_chinese_first() -> None:
    # No route for the path, or not for the method: the router's status phrase gets its Chinese.
    app = FastAPI()
    problems.install(app)
    app.get("/thing")(lambda: {})
    client = TestClient(app)

    for response, english in [(client.get("/nothing"), "(Not Found)"),
                              (client.delete("/thing"), "(Method Not Allowed)")]:
        detail = response.json()["detail"]
        assert detail.endswith(english) and problem_with(detail) is None, detail
