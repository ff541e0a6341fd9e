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
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from analysis.paths import data_dir

DESCRIPTOR = "datapackage.json"
# tables whose rows hold a year range: (table, first-year column, last-year column)
RANGES = [
    ("expected_coverage", "first_year", "last_year"),
    ("study_context", "period_start", "period_end"),
]
PANDAS_TYPES = {"string": "string", "integer": "Int64", "number": "Float64"}


@dataclass(frozen=True)
class Problem:
    """One validation problem located by file, spreadsheet row and column."""

    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", column '{self.column}'"
        return f"{where}: {self.message}"


class DataValidationError(ValueError):
    """Raised when any table in ``data/`` breaks its schema; lists every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{len(problems)} data problem(s) found; nothing was published:\n{lines}")


def read_descriptor(root: Path | None = None) -> dict:
    """Return the parsed ``datapackage.json`` of the data folder ``root``."""
    root = root or data_dir()
    return json.loads((root / DESCRIPTOR).read_text(encoding="utf-8"))


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


def describe_failure(check: str, value: object) -> str:
    """Turn a pandera check name and failing value into a sentence an analyst can act on."""
    value = value.item() if hasattr(value, "item") else value  # numpy scalar -> plain number
    shown = (
        "an empty cell"
        if value is None or (isinstance(value, float) and math.isnan(value))
        else repr(value)
    )
    if check.startswith("coerce_dtype"):
        kind = "a number" if "Float" in check else "a whole number" if "Int" in check else "text"
        return f"{shown} is not {kind}"
    if check == "not_nullable":
        return "this cell is required but empty"
    if check.startswith("greater_than_or_equal_to"):
        return f"{shown} is below the minimum {check.split('(')[1].rstrip(')')}"
    if check.startswith("less_than_or_equal_to"):
        return f"{shown} is above the maximum {check.split('(')[1].rstrip(')')}"
    if check.startswith("isin"):
        return f"{shown} is not one of the allowed values {check[5:-1]}"
    if check.startswith("str_matches"):
        return f"{shown} does not have the required form {check[12:-1]}"
    if check == "column_in_schema":
        return f"unexpected column {shown}: not in the table's schema"
    if check == "column_in_dataframe":
        return f"missing column {shown}"
    return f"{shown} fails check {check}"


def read_csv_file(root: Path, rel: str) -> pd.DataFrame:
    """Read one CSV as text (nothing guessed), remembering each row's file and spreadsheet row.

    A byte-order mark (Excel's “CSV UTF-8”) is accepted; any other encoding — Excel's plain
    “CSV” on Chinese Windows saves GBK — stops with an error that says how to re-save.
    """
    raw = (root / rel).read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise DataValidationError(
            [
                Problem(
                    rel,
                    line,
                    None,
                    "the file is not UTF-8 (Excel's plain 'CSV' saves GBK on Chinese Windows); "
                    "save it again as 'CSV UTF-8 (逗号分隔)'",
                )
            ]
        ) from None
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, na_values=[""])
    except pd.errors.ParserError as err:
        found = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(err))
        line, message = None, f"the file cannot be read as CSV: {err}"
        if found:
            expected, line, saw = (int(g) for g in found.groups())
            message = (
                f"{saw} cells where the header has {expected}: a comma inside a cell? "
                'put the cell in double quotes ("…, …")'
            )
        raise DataValidationError([Problem(rel, line, None, message)]) from None
    frame.attrs["origin"] = [(rel, i + 2) for i in range(len(frame))]
    return frame


def validate_file(frame: pd.DataFrame, resource: dict) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Validate one file's rows against its resource schema; return typed rows and problems."""
    origin = frame.attrs["origin"]
    rel = origin[0][0] if origin else resource_paths(resource)[0]
    try:
        typed = table_schema(resource).validate(frame, lazy=True)
    except SchemaErrors as err:
        cases = err.failure_cases
        # once a column fails to convert, its other checks only echo that failure
        uncoerced = set(cases.loc[cases["check"].str.startswith("coerce_dtype"), "column"])
        problems = []
        for case in cases.itertuples(index=False):
            if case.column in uncoerced and not case.check.startswith("coerce_dtype"):
                continue
            idx = case.index
            row = None if idx is None or pd.isna(idx) else origin[int(idx)][1]
            column = case.column if isinstance(case.column, str) else None
            if case.check in ("column_in_schema", "column_in_dataframe"):
                column, row = None, 1
            problems.append(
                Problem(rel, row, column, describe_failure(case.check, case.failure_case))
            )
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
        raw = read_csv_file(root, rel)
        typed, found = validate_file(raw, resource)
        problems += found
        raws.append(raw)
        typed_frames.append(typed)
        origin += raw.attrs["origin"]
    if not raws:
        return None, problems
    frames = raws if problems else typed_frames
    table = pd.concat(frames, ignore_index=True)
    table.attrs["origin"] = origin
    return table, problems


def check_primary_key(table: pd.DataFrame, resource: dict) -> list[Problem]:
    """Report every row whose primary key repeats an earlier row (across all files)."""
    key = resource["schema"].get("primaryKey")
    if not key:
        return []
    origin = table.attrs["origin"]
    dup = table.duplicated(subset=key, keep="first")
    problems = []
    for i in dup[dup].index:
        first = table.index[(table[key] == table.loc[i, key]).all(axis=1)][0]
        values = ", ".join(f"{k}={table.loc[i, k]}" for k in key)
        problems.append(
            Problem(
                origin[i][0],
                origin[i][1],
                key[-1],
                f"duplicate key ({values}) already in {origin[first][0]} row {origin[first][1]}",
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
        if ref["resource"] not in tables:
            continue  # its file is missing, which is reported already
        known = set(tables[ref["resource"]][ref["fields"][0]].dropna())
        for i, value in table[column].items():
            if pd.notna(value) and value not in known:
                file, row = table.attrs["origin"][i]
                problems.append(
                    Problem(file, row, column, f"{value!r} is not a known {ref['resource']} id")
                )
    return problems


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
                    f"unit {row['unit']!r} differs from {spec['unit']!r}, "
                    f"the unit of indicator {row['indicator']} in indicators.csv",
                )
            )
        low, high = spec["min_value"], spec["max_value"]
        if pd.notna(low) and row[value] < low:
            problems.append(
                Problem(
                    file,
                    line,
                    value,
                    f"{row[value]:g} is below {low:g}, the lowest valid value of "
                    f"{row['indicator']}",
                )
            )
        if pd.notna(high) and row[value] > high:
            problems.append(
                Problem(
                    file,
                    line,
                    value,
                    f"{row[value]:g} is above {high:g}, the highest valid "
                    f"value of {row['indicator']}",
                )
            )
    return problems


def check_year_ranges(table: pd.DataFrame, start: str, end: str) -> list[Problem]:
    """Report rows whose ``start`` year comes after their ``end`` year."""
    return [
        Problem(*table.attrs["origin"][i], end, f"{row[end]} is before {start} {row[start]}")
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
        Problem(rel, None, None, "file not described in datapackage.json")
        for rel in sorted(present - listed)
    ]
    return problems + [
        Problem(rel, None, None, "file listed in datapackage.json is missing")
        for rel in sorted(listed - present)
    ]


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
    if problems:
        raise DataValidationError(problems)
    return tables


def main() -> int:
    """Command line: validate ``data/`` and print a summary or every problem."""
    try:
        tables = load_package()
    except DataValidationError as err:
        print(f"DATA VALIDATION FAILED ({data_dir()})\n{err}")
        return 1
    from analysis import scenario_checks  # the scenarios against the model (issue 14)

    lines = scenario_checks.report()
    if lines:
        print(f"情景假设与数据或模型不符（{data_dir()}），未发布：\n" + "\n".join(lines))
        return 1
    rows = sum(len(t) for t in tables.values())
    print(f"{data_dir()} is valid: {len(tables)} tables, {rows} rows")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
