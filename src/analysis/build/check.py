"""``make validate``: check ``data/`` and the scenario assumptions; one Chinese line per problem.

Runs :func:`analysis.core.validate.load_package` (schemas, keys, plausibility, layers, source
policy), then :mod:`analysis.model.scenario_checks` (the scenarios against the model and the
figures), which needs the validated tables and the model, so it lives here, outside the core.
"""

from __future__ import annotations

import sys
import traceback

from analysis.core.paths import BUILD_DIR, data_dir
from analysis.core.validate import DataValidationError, load_package
from analysis.model import scenario_checks


def main() -> int:
    """Command line: validate ``data/`` and print a summary, or every problem one a line.

    No traceback reaches the screen: an unexpected error is written to
    ``_build/logs/validate.log`` and summarised in one line.
    """
    try:
        tables = load_package()
    except DataValidationError as err:
        print(f"数据校验未通过（{data_dir()}），构建停止：", file=sys.stderr)
        for problem in err.problems:
            print(f"  - {problem}", file=sys.stderr)
        return 1
    except Exception:
        log = BUILD_DIR / "logs" / "validate.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        log.write_text(traceback.format_exc(), encoding="utf-8")
        last = traceback.format_exc().strip().splitlines()[-1]
        print(
            f"数据校验时出现意外错误（{last}），构建停止；完整记录见 {log}",
            file=sys.stderr,
        )
        return 2
    lines = scenario_checks.report()
    if lines:
        print(f"情景假设与数据或模型不符（{data_dir()}），构建停止：", file=sys.stderr)
        for line in lines:
            print(f"  - {line}", file=sys.stderr)
        return 1
    rows = sum(len(t) for t in tables.values())
    print(f"{data_dir()} is valid: {len(tables)} tables, {rows} rows")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
