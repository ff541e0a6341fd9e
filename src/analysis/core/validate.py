"""Load the tables described in ``data/datapackage.json`` and validate them.

The data package descriptor (Frictionless Table Schema) is the single place where each table's
columns, types, constraints, keys and foreign keys are written. This module turns each schema into
a pandera ``DataFrameSchema``, validates every CSV file, then checks what a per-table schema cannot
see: primary keys across files, foreign keys between tables, and each observation's unit and range
against its indicator in the catalogue.

Every problem is reported with the file, the spreadsheet row (the header is row 1) and the column,
and all problems of a run are collected before :class:`DataValidationError` is raised, so one build
shows the analyst everything that needs fixing.
"""

from __future__ import annotations

import io
import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from analysis.core.paths import data_dir

DESCRIPTOR = "datapackage.json"
# tables whose rows hold a year range: (table, first-year column, last-year column)
RANGES = [
    ("expected_coverage", "first_year", "last_year"),
    ("study_context", "period_start", "period_end"),
]
PANDAS_TYPES = {"string": "string", "integer": "Int64", "number": "Float64"}


@dataclass(frozen=True)
class Problem:
    """One validation problem located by file, spreadsheet row and column.

    ``message`` says what is wrong and ``fix`` what to do, both in Chinese; printed as one line:
    ``observations/taizhou.csv，第 15 行，unit 列：……。请……。``
    """

    file: str
    row: int | None
    column: str | None
    message: str
    fix: str = ""

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f"，第 {self.row} 行"
        if self.column:
            where += f"，{self.column} 列"
        text = f"{where}：{self.message}。"
        return text + (f"{self.fix}。" if self.fix else "")


class Origins(list):
    """(file, spreadsheet row) of every row of a table, in ``frame.attrs["origin"]``.

    pandas deep-copies ``attrs`` into every frame it derives (each ``iterrows`` row too): the
    list is shared instead, so that cost does not grow with the rows. Never changed in place.
    """

    def __deepcopy__(self, memo: dict) -> Origins:
        return self


class DataValidationError(ValueError):
    """Raised when any file in ``data/`` is unusable; lists every problem found, one a line."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"数据校验发现 {len(problems)} 个问题：\n{lines}")


def read_descriptor(root: Path | None = None) -> dict:
    """Return the parsed ``datapackage.json`` of the data folder ``root``.

    A file that is not valid JSON, or has no list of resources, raises
    :class:`DataValidationError` with the line and character of the fault.
    """
    root = root or data_dir()
    path = root / DESCRIPTOR
    if not path.exists():
        raise DataValidationError(
            [Problem(DESCRIPTOR, None, None, "文件不存在", "请从项目仓库恢复 datapackage.json")]
        )
    try:
        descriptor = json.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError:
        raise DataValidationError(
            [Problem(DESCRIPTOR, None, None, "文件不是 UTF-8 编码", "请用 UTF-8 编码另存")]
        ) from None
    except json.JSONDecodeError as err:
        raise DataValidationError(
            [
                Problem(
                    DESCRIPTOR,
                    err.lineno,
                    None,
                    f"JSON 格式错误（第 {err.lineno} 行第 {err.colno} 个字符：{err.msg}）",
                    "请检查这一处及上一行是否少了逗号、引号或括号，或多了一个逗号",
                )
            ]
        ) from None
    problems = descriptor_problems(descriptor)
    if problems:
        raise DataValidationError(problems)
    return descriptor


def descriptor_problems(descriptor: object) -> list[Problem]:
    """Check the descriptor's shape: a list of resources, each with a name, path and schema."""
    fix = "请对照仓库中原来的 datapackage.json 改正"
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources"), list):
        return [Problem(DESCRIPTOR, None, None, "缺少 resources 列表", fix)]
    problems = []
    for n, resource in enumerate(descriptor["resources"], start=1):
        name = resource.get("name") if isinstance(resource, dict) else None
        label = f"第 {n} 个资源（{name or '无名称'}）"
        if not isinstance(resource, dict) or not name or "path" not in resource:
            problems.append(Problem(DESCRIPTOR, None, None, f"{label}缺少 name 或 path", fix))
            continue
        if not is_table(resource):
            continue
        fields = resource.get("schema", {}).get("fields")
        if not isinstance(fields, list) or not all(
            isinstance(f, dict) and "name" in f and f.get("type", "string") in PANDAS_TYPES
            for f in fields
        ):
            problems.append(
                Problem(DESCRIPTOR, None, None, f"{label}的 schema.fields 不完整或类型未知", fix)
            )
    return problems


def is_table(resource: dict) -> bool:
    """Return True for tabular (CSV) resources; geometry and metadata files are not tables."""
    return resource.get("format", "csv") == "csv"


def resource_paths(resource: dict) -> list[str]:
    """Return a resource's file paths (relative to the data folder) as a list."""
    path = resource["path"]
    return [path] if isinstance(path, str) else list(path)


def column_schema(field: dict) -> pa.Column:
    """Build the pandera column of one Table Schema field: type, required, bounds, enum, pattern."""
    constraints = field.get("constraints", {})
    checks = []
    if "minimum" in constraints:
        checks.append(pa.Check.ge(constraints["minimum"]))
    if "maximum" in constraints:
        checks.append(pa.Check.le(constraints["maximum"]))
    if "enum" in constraints:
        checks.append(pa.Check.isin(constraints["enum"]))
    if "pattern" in constraints:
        checks.append(pa.Check.str_matches(constraints["pattern"]))
    return pa.Column(
        PANDAS_TYPES[field.get("type", "string")],
        checks=checks,
        nullable=not constraints.get("required", False),
        coerce=True,
        required=True,
    )


def table_schema(resource: dict) -> pa.DataFrameSchema:
    """Build the pandera schema of one resource; unknown or missing columns are errors."""
    fields = resource["schema"]["fields"]
    return pa.DataFrameSchema(
        {f["name"]: column_schema(f) for f in fields},
        strict=True,
        ordered=False,
        name=resource["name"],
    )


# Chinese descriptions of the descriptor's patterns, for messages an analyst can act on.
PATTERNS_ZH = {
    r"^[0-9]{6}$": "6 位数字的行政区划代码，如 331000",
    r"^\d{6}$": "6 位数字的行政区划代码，如 331000",
    r"^[a-z0-9_]+$": "只含小写英文字母、数字和下划线的编号，如 zj_yearbook_2013",
    r"^[a-z][a-z0-9_]*$": "以小写英文字母开头、只含小写字母、数字和下划线的编号",
    r"^https?://\S+$": "以 http:// 或 https:// 开头、不含空格的网址（没有网址就留空）",
    r"^\d{4}(-\d{2}(-\d{2})?)?$": "日期，写成 2013、2013-01 或 2013-01-24",
}
FIX_NUMBER = (
    "请只用半角数字 0-9、最多一个小数点和开头的负号，如 791.45；"
    "不要千位分隔符、空格、单位或科学计数法"
)
FIX_CHECK = "请核对原文后改正"


def shown(value: object) -> str:
    """Quote a cell for a message: “text”, or 空 for an empty cell."""
    value = value.item() if hasattr(value, "item") else value  # numpy scalar -> plain number
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "空"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{value:g}"
    # a line break or other control character is written as an escape, so the message stays
    # one line
    return "“" + CONTROL.sub(lambda m: repr(m.group())[1:-1], str(value)) + "”"


CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def describe_failure(check: str, value: object) -> tuple[str, str]:
    """Turn a pandera check name and failing value into (what is wrong, what to do)."""
    text = shown(value)
    if check.startswith("coerce_dtype"):
        if "Int" in check:
            return f"{text} 不是整数", "请填写不带小数点的半角数字，如 2012"
        return f"{text} 不是数字", FIX_NUMBER
    if check == "not_nullable":
        return "这一格必填，但是空的", "请填写；没有找到的数字请整行删去，不要填 0"
    if check.startswith("greater_than_or_equal_to"):
        return f"{text} 小于允许的最小值 {check.split('(')[1].rstrip(')')}", FIX_CHECK
    if check.startswith("less_than_or_equal_to"):
        return f"{text} 大于允许的最大值 {check.split('(')[1].rstrip(')')}", FIX_CHECK
    if check.startswith("isin"):
        allowed = "、".join(re.findall(r"'([^']*)'", check))
        return f"{text} 不是允许的取值（{allowed}）", "请改为其中之一"
    if check.startswith("str_matches"):
        pattern = check[12:-1]
        if len(pattern) > 1 and pattern[0] == pattern[-1] == "'":
            pattern = pattern[1:-1]  # pandera quotes the pattern
        return (
            f"{text} 的写法不对",
            f"应为{PATTERNS_ZH.get(pattern, '符合 ' + pattern + ' 的写法')}",
        )
    if check == "column_in_schema":
        return (
            f"多出一列 {text}，datapackage.json 没有描述这一列",
            "请删去这一列，或先在 datapackage.json 中登记",
        )
    if check == "column_in_dataframe":
        return f"缺少 {text} 列", "请补上这一列（各列见 datapackage.json）"
    return f"{text} 没有通过检查 {check}", FIX_CHECK


STRICT = {
    "number": re.compile(r"-?[0-9]+(\.[0-9]+)?", re.ASCII),
    "integer": re.compile(r"-?[0-9]+", re.ASCII),
}


def check_strict_numbers(frame: pd.DataFrame, resource: dict, rel: str) -> list[Problem]:
    """Report number cells that are not plain ASCII decimals (full-width digits, ``7_91``, ``nan``,
    ``1e30``, ``1,234``, spaces): pandas would read some of them as numbers the CSV never shows.
    """
    problems = []
    origin = frame.attrs["origin"]
    for field in resource["schema"]["fields"]:
        kind = field.get("type", "string")
        if kind not in STRICT or field["name"] not in frame:
            continue
        for i, value in frame[field["name"]].items():
            if pd.isna(value) or STRICT[kind].fullmatch(value):
                continue
            if kind == "integer":
                what, fix = f"{shown(value)} 不是整数", "请填写不带小数点的半角数字，如 2012"
            else:
                what, fix = f"{shown(value)} 不是规范的数字", FIX_NUMBER
            problems.append(Problem(rel, origin[i][1], field["name"], what, fix))
    return problems


RESAVE = "请在 Excel 中另存为“CSV UTF-8（逗号分隔）”"


def decode(raw: bytes, rel: str) -> str:
    """Decode a CSV file's bytes as UTF-8 (with or without BOM), or say what it is instead."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or (raw[:200].count(b"\x00") > 10):
        raise DataValidationError(
            [Problem(rel, None, None, "文件是 UTF-16 编码（Excel 的“Unicode 文本”）", RESAVE)]
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        try:
            raw.decode("gb18030")
            what = "文件不是 UTF-8 编码，看来是 GBK（中文版 Windows 上 Excel 的普通“CSV”）"
        except UnicodeDecodeError:
            what = "文件不是 UTF-8 编码"
        raise DataValidationError([Problem(rel, line, None, what, RESAVE)]) from None


def unclosed_quote_line(text: str) -> int | None:
    """Return the line where a double quote opens and never closes, or None."""
    opened, inside = None, False
    for number, line in enumerate(text.splitlines(), start=1):
        for char in line:
            if char == '"':
                inside = not inside
                if inside:
                    opened = number
    return opened if inside else None


def read_csv_file(root: Path, rel: str) -> pd.DataFrame:
    """Read one CSV as text (nothing guessed), remembering each row's file and spreadsheet row.

    A byte-order mark (Excel's “CSV UTF-8”) is accepted; any other encoding — Excel's plain
    “CSV” on Chinese Windows saves GBK — stops with an error that says how to re-save. An empty
    file, a header without rows, a ragged row and an unclosed quote each stop with their line.
    """
    raw = (root / rel).read_bytes()
    text = decode(raw, rel)
    if not text.strip():
        raise DataValidationError(
            [
                Problem(
                    rel,
                    None,
                    None,
                    "文件是空的（没有表头，也没有数据）",
                    "请从备份或仓库恢复这个文件；"
                    "不再需要时，把它连同 datapackage.json 中的登记一起删去",
                )
            ]
        )
    quote = unclosed_quote_line(text)
    if quote is not None:
        raise DataValidationError(
            [
                Problem(
                    rel,
                    quote,
                    None,
                    "这一行有一个双引号没有配对，后面的内容都被读成了一格",
                    "请补上结束的双引号，或删去多余的引号",
                )
            ]
        )
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, na_values=[""])
    except pd.errors.ParserError as err:
        found = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(err))
        line, message = None, f"无法按 CSV 读取（{err}）"
        fix = "请用 Excel 打开检查后，另存为“CSV UTF-8（逗号分隔）”"
        if found:
            expected, line, saw = (int(g) for g in found.groups())
            message = f"这一行有 {saw} 格，表头只有 {expected} 格"
            fix = '格子里有逗号时，请给这一格加上英文双引号（"…, …"）'
        raise DataValidationError([Problem(rel, line, None, message, fix)]) from None
    if frame.empty:
        raise DataValidationError(
            [
                Problem(
                    rel,
                    None,
                    None,
                    "文件只有表头，没有数据行",
                    "请补上数据行；不再需要这个文件时，把它连同 datapackage.json 中的登记一起删去",
                )
            ]
        )
    frame.attrs["origin"] = Origins((rel, i + 2) for i in range(len(frame)))
    return frame


def validate_file(frame: pd.DataFrame, resource: dict) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Validate one file's rows against its resource schema; return typed rows and problems."""
    origin = frame.attrs["origin"]
    rel = origin[0][0] if origin else resource_paths(resource)[0]
    problems = check_strict_numbers(frame, resource, rel)
    seen = {(p.row, p.column) for p in problems}
    try:
        typed = table_schema(resource).validate(frame, lazy=True)
    except SchemaErrors as err:
        cases = err.failure_cases
        # once a column fails to convert, its other checks only echo that failure
        uncoerced = set(cases.loc[cases["check"].str.startswith("coerce_dtype"), "column"])
        for case in cases.itertuples(index=False):
            if case.column in uncoerced and not case.check.startswith("coerce_dtype"):
                continue
            idx = case.index
            row = None if idx is None or pd.isna(idx) else origin[int(idx)][1]
            column = case.column if isinstance(case.column, str) else None
            if case.check in ("column_in_schema", "column_in_dataframe"):
                column, row = None, 1
            if (row, column) in seen:
                continue
            seen.add((row, column))
            problems.append(
                Problem(rel, row, column, *describe_failure(case.check, case.failure_case))
            )
        return None, problems
    if problems:
        return None, problems
    typed.attrs["origin"] = origin
    return typed, []


def load_resource(root: Path, resource: dict) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Read and validate every file of a resource.

    Returns the concatenated rows, typed when every file is valid and as raw text otherwise
    (still good enough to check references), or None when no file could be read, and the
    problems found.
    """
    raws, typed_frames, problems, origin = [], [], [], []
    for rel in resource_paths(resource):
        if not (root / rel).exists():
            continue  # reported by check_listed_files
        try:
            raw = read_csv_file(root, rel)
        except DataValidationError as err:
            problems += err.problems
            continue
        typed, found = validate_file(raw, resource)
        problems += found
        raws.append(raw)
        typed_frames.append(typed)
        origin += raw.attrs["origin"]
    if not raws:
        return None, problems
    frames = raws if problems else typed_frames
    table = pd.concat(frames, ignore_index=True)
    table.attrs["origin"] = Origins(origin)
    return table, problems


def check_primary_key(table: pd.DataFrame, resource: dict) -> list[Problem]:
    """Report every row whose primary key repeats an earlier row (across all files)."""
    key = resource["schema"].get("primaryKey")
    if not key or not set(key) <= set(table.columns):
        return []
    origin = table.attrs["origin"]
    dup = table.duplicated(subset=key, keep="first")
    problems = []
    for i in dup[dup].index:
        keys = table[key].astype(object).fillna("")  # an empty key cell equals another
        first = keys.index[(keys == keys.loc[i]).all(axis=1)][0]
        values = "、".join(
            f"{k}={'空' if pd.isna(table.loc[i, k]) else table.loc[i, k]}" for k in key
        )
        problems.append(
            Problem(
                origin[i][0],
                origin[i][1],
                key[-1],
                f"与 {origin[first][0]} 第 {origin[first][1]} 行重复（{values}）",
                "同一个数字只保留一行；两份文献给出不同数字时，请把 source_id 填成各自的来源"
                if "source_id" in key
                else "同一编号只能有一行：请删去重复的一行，或给它一个新的编号",
            )
        )
    return problems


def check_foreign_keys(tables: dict[str, pd.DataFrame], resource: dict) -> list[Problem]:
    """Report every cell that refers to a row missing from the referenced table."""
    table = tables[resource["name"]]
    problems = []
    for fk in resource["schema"].get("foreignKeys", []):
        (column,) = fk["fields"]
        ref = fk["reference"]
        if ref["resource"] not in tables or column not in table:
            continue  # its file is missing or unreadable, which is reported already
        target = tables[ref["resource"]]
        if ref["fields"][0] not in target:
            continue
        known = set(target[ref["fields"][0]].dropna())
        ref_file = resource_paths_of(ref["resource"], target)
        for i, value in table[column].items():
            if pd.notna(value) and value not in known:
                file, row = table.attrs["origin"][i]
                problems.append(
                    Problem(
                        file,
                        row,
                        column,
                        f"{shown(value)} 不在 {ref_file} 中（不是已登记的 {ref['resource']} 编号）",
                        f"请改用 {ref_file} 中已有的编号，或先在 {ref_file} 中登记",
                    )
                )
    return problems


def resource_paths_of(name: str, table: pd.DataFrame) -> str:
    """Return the file a referenced table was read from (its first), for messages."""
    origin = table.attrs.get("origin") or []
    return origin[0][0] if origin else name


def check_against_indicators(
    obs: pd.DataFrame, indicators: pd.DataFrame, value: str = "value"
) -> list[Problem]:
    """Check each row's unit and ``value`` column against its indicator's unit and bounds.

    Used for observations and for targets (``value="target_value"``): a target in another
    unit than its indicator could never be compared with the figures.
    """
    catalogue = indicators.set_index("id")
    problems = []
    for i, row in obs.iterrows():
        if row["indicator"] not in catalogue.index:
            continue  # reported by the foreign-key check
        spec = catalogue.loc[row["indicator"]]
        file, line = obs.attrs["origin"][i]
        if row["unit"] != spec["unit"]:
            problems.append(
                Problem(
                    file,
                    line,
                    "unit",
                    f"单位“{row['unit']}”与指标 {row['indicator']} 的单位“{spec['unit']}”不同",
                    f"请把数字换算成“{spec['unit']}”并改正单位（单位见 indicators.csv）",
                )
            )
        low, high = spec["min_value"], spec["max_value"]
        if pd.notna(low) and row[value] < low:
            problems.append(
                Problem(
                    file,
                    line,
                    value,
                    f"{row[value]:g} 小于 {row['indicator']} 的最小有效值 {low:g}",
                    FIX_CHECK,
                )
            )
        if pd.notna(high) and row[value] > high:
            problems.append(
                Problem(
                    file,
                    line,
                    value,
                    f"{row[value]:g} 大于 {row['indicator']} 的最大有效值 {high:g}",
                    "请核对原文数字和单位"
                    + ("（百分比只填 0 到 100 之间的数）" if spec["unit"] == "%" else ""),
                )
            )
    return problems


def check_year_ranges(table: pd.DataFrame, start: str, end: str) -> list[Problem]:
    """Report rows whose ``start`` year comes after their ``end`` year."""
    return [
        Problem(
            *table.attrs["origin"][i],
            end,
            f"结束年 {row[end]} 早于 {start} 的 {row[start]}",
            "请核对起止年份，可能填反了",
        )
        for i, row in table.iterrows()
        if row[start] > row[end]
    ]


def check_listed_files(root: Path, descriptor: dict) -> list[Problem]:
    """Report data files no resource describes, and described files that do not exist."""
    listed = {p for r in descriptor["resources"] for p in resource_paths(r)}
    present = {
        str(p.relative_to(root))
        for pattern in ("*.csv", "*.geojson", "geo/*.json")
        for p in root.rglob(pattern)
        if not any(part.startswith(".") for part in p.relative_to(root).parts)  # checkpoints
    }
    problems = [
        Problem(
            rel,
            None,
            None,
            "datapackage.json 没有登记这个文件，它不会被读取",
            "请在 datapackage.json 的相应资源下登记它，或删去这个文件",
        )
        for rel in sorted(present - listed)
    ]
    return problems + [
        Problem(
            rel,
            None,
            None,
            "datapackage.json 登记了这个文件，但文件不存在",
            "请恢复这个文件，或从 datapackage.json 中删去它的登记",
        )
        for rel in sorted(listed - present)
    ]


Check = Callable[[dict[str, pd.DataFrame], Path], list[Problem]]


def extra_checks() -> list[Check]:
    """Checks run once every table is typed: the one place to hook another check module.

    Each takes the tables that passed their schema (a table with problems is left out, so a
    check skips what it needs and cannot see) and the data folder, and returns problems in the
    same one-line format. Plausibility rules and the GeoJSON layers are checked here; a module
    checking scenario assumptions against the model adds its function to this list.
    """
    from analysis.core import geocheck, plausibility, source_policy

    return [geocheck.check_layers, plausibility.check, source_policy.check]


def load_package(root: Path | None = None) -> dict[str, pd.DataFrame]:
    """Load and validate every table of the data package; raise on any problem.

    Returns a dict of typed DataFrames keyed by resource name. Each frame keeps, in
    ``frame.attrs["origin"]``, the (file, spreadsheet row) every row came from.
    """
    root = Path(root) if root else data_dir()
    descriptor = read_descriptor(root)
    tables, problems, typed = {}, check_listed_files(root, descriptor), set()
    resources = [r for r in descriptor["resources"] if is_table(r)]
    for resource in resources:
        table, found = load_resource(root, resource)
        problems += found
        if table is None:
            continue
        if not found:
            typed.add(resource["name"])
        tables[resource["name"]] = table
        problems += check_primary_key(table, resource)
    reported = {(p.file, p.row, p.column) for p in problems}
    for resource in (r for r in resources if r["name"] in tables):
        problems += [
            p
            for p in check_foreign_keys(tables, resource)
            if (p.file, p.row, p.column) not in reported
        ]
    for name, start, end in RANGES:
        if name in typed:
            problems += check_year_ranges(tables[name], start, end)
    if {"observations", "indicators"} <= typed:
        problems += check_against_indicators(tables["observations"], tables["indicators"])
    if {"targets", "indicators"} <= typed:
        problems += check_against_indicators(
            tables["targets"], tables["indicators"], value="target_value"
        )
    typed_tables = {name: tables[name] for name in typed}
    for check in extra_checks():
        problems += check(typed_tables, root)
    if problems:
        raise DataValidationError(problems)
    return tables
