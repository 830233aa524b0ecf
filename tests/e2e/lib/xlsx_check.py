#!/usr/bin/python3
"""xlsx_check.py: reads a report directory's results.xlsx back with openpyxl (Debian's
python3-openpyxl) and holds it to the CSV files beside it: sheets Summary, Results and Rejects;
Results has one row per line of results.csv and Rejects one per record of rejects.csv; every
tracking-number, order and id cell is a string equal to the CSV's value (the CSV's formula-guard
quote aside); ship dates of rows that were validated (not invalid, not skipped) are dates; the
workbook holds no formula.
Prints one line per failed check and exits 1 if any failed. Usage: xlsx_check.py REPORT_DIR"""
import csv
import datetime
import sys
import zipfile

import openpyxl

TEXT_COLUMNS = ("tracking_number", "order_ref", "order_name", "order_id",
                "fulfillment_order_id", "fulfillment_id", "sku")
GUARDED_START = ("=", "+", "-", "@", "\t", "\r")


def csv_rows(path):
    with open(path, newline="", encoding="utf-8-sig") as handle:
        return list(csv.reader(handle))


def unguarded(value):
    """results.csv's cell as written before the formula guard."""
    if value.startswith("'") and value[1:2] and value[1] in GUARDED_START:
        return value[1:]
    return value


def sheet_rows(sheet):
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def check(report_dir):
    failures = []
    book = openpyxl.load_workbook(f"{report_dir}/results.xlsx", read_only=True)
    if book.sheetnames != ["Summary", "Results", "Rejects"]:
        failures.append(f"sheets are {book.sheetnames}")
        return failures
    results_csv = csv_rows(f"{report_dir}/results.csv")
    header, records = results_csv[0], results_csv[1:]
    results = sheet_rows(book["Results"])
    names = results[0]
    if len(results) - 1 != len(records):
        failures.append(f"Results has {len(results) - 1} rows, results.csv {len(records)}")
    rejects_csv = csv_rows(f"{report_dir}/rejects.csv")
    rejects_records = len(rejects_csv) - 1 if rejects_csv else 0
    rejects = sheet_rows(book["Rejects"])
    if len(rejects) - 1 != rejects_records:
        failures.append(f"Rejects has {len(rejects) - 1} rows, rejects.csv {rejects_records}")
    dates = 0
    for number, (record, row) in enumerate(zip(records, results[1:]), start=1):
        by_csv = dict(zip(header, record))
        by_xlsx = dict(zip(names, row))
        for column in TEXT_COLUMNS:
            want, got = unguarded(by_csv[column]), by_xlsx[column]
            if want == "" and got is None:
                continue
            if not isinstance(got, str) or got != want:
                failures.append(f"row {number} {column}: xlsx {got!r}, csv {want!r}")
        if by_csv["ship_date"] and by_csv["status"] not in ("invalid", "skipped"):
            got = by_xlsx["ship_date"]
            if not isinstance(got, datetime.datetime) or \
                    got.date().isoformat() != by_csv["ship_date"]:
                failures.append(f"row {number} ship_date: xlsx {got!r}, csv {by_csv['ship_date']!r}")
            dates += 1
    with zipfile.ZipFile(f"{report_dir}/results.xlsx") as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and b"<f>" in archive.read(name):
                failures.append(f"{name} holds a formula")
    print(f"{report_dir}: {len(records)} rows, {rejects_records} rejects, {dates} dates checked")
    return failures


def main():
    failures = check(sys.argv[1])
    for failure in failures[:20]:
        print(f"FAIL: {failure}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
