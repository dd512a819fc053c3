"""Command line: `solve` an instance into an allocation, `check` an allocation."""

from __future__ import annotations

import argparse
import json
import pathlib
import sys
from typing import Any, NoReturn

from .checker import check, parse_instance
from .clock import process_started
from .model import InstanceError

EXIT_OK, EXIT_BREACH, EXIT_INPUT = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage mistakes on one line, exit code 2."""

    def error(self, message: str) -> NoReturn:
        sys.stderr.write(f"{self.prog}: {message}\n")
        sys.exit(EXIT_INPUT)


def _read_json(path: str) -> Any:
    """Parse a JSON file (or standard input for '-'); faults become InstanceError."""
    name = "<stdin>" if path == "-" else path
    try:
        text = sys.stdin.read() if path == "-" else pathlib.Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InstanceError(f"{name}: cannot read: {getattr(exc, 'strerror', None) or exc}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InstanceError(f"{name}: not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
    except RecursionError:
        raise InstanceError(f"{name}: not valid JSON: nested too deeply") from None


def _load(path: str, parse=None) -> Any:
    raw = _read_json(path)
    if parse is None:
        return raw
    try:
        return parse(raw)
    except InstanceError as exc:
        name = "<stdin>" if path == "-" else path
        raise InstanceError(f"{name}: {exc.message}") from None


def _write(path: str, data: dict) -> None:
    text = json.dumps(data, indent=1, ensure_ascii=False) + "\n"
    if path == "-":
        sys.stdout.write(text)
    else:
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text)


def _cmd_solve(args: argparse.Namespace) -> int:
    from .solver import solve  # keeps `check` fast: no solver modules loaded

    inst = _load(args.instance, parse_instance)
    progress = None
    if args.progress:

        def progress(message: dict) -> None:
            sys.stderr.write(json.dumps(message) + "\n")
            sys.stderr.flush()

    allocation = solve(
        inst,
        time_limit=args.time_limit,
        seed=args.seed,
        deterministic=args.deterministic,
        progress=progress,
        started=process_started(),  # the limit holds for the whole process: start, reading and writing too
    )
    try:
        _write(args.output, allocation)
    except OSError as exc:
        raise InstanceError(f"{args.output}: cannot write: {exc.strerror or exc}") from None
    return EXIT_OK


def _cmd_check(args: argparse.Namespace) -> int:
    inst = _load(args.instance, parse_instance)
    raw = _load(args.allocation)
    try:
        result = check(inst, raw)
    except InstanceError as exc:
        raise InstanceError(f"{args.allocation}: {exc.message}") from None
    for line in result.breaches:
        print(line)
    for line in result.summary():
        print(line)
    return EXIT_OK if result.ok else EXIT_BREACH


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m portal.scheduler", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    p_solve = sub.add_parser("solve", help="allocate performances for an instance")
    p_solve.add_argument("instance", help="instance JSON file, or - for standard input")
    p_solve.add_argument("-o", "--output", default="-", help="allocation JSON file, or - (default)")
    p_solve.add_argument("--time-limit", type=float, default=10.0, help="seconds (default 10)")
    p_solve.add_argument("--seed", type=int, default=0)
    p_solve.add_argument(
        "--deterministic",
        action="store_true",
        help="fixed solver work on one worker instead of wall-clock time: same input, same output",
    )
    p_solve.add_argument(
        "--progress", action="store_true", help="write the best so far to standard error, one JSON line each time"
    )
    p_solve.set_defaults(run=_cmd_solve)
    p_check = sub.add_parser("check", help="list hard-rule breaches and the objective")
    p_check.add_argument("instance")
    p_check.add_argument("allocation")
    p_check.set_defaults(run=_cmd_check)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = _parser().parse_args(argv)
    try:
        return args.run(args)
    except InstanceError as exc:
        sys.stderr.write(exc.message.replace("\n", " ") + "\n")
        return EXIT_INPUT
