"""A return as a file: CSV (UTF-8 with a byte-order mark, so that Excel reads Ł and Ø)
or XLSX (openpyxl), with the rule violations on a second sheet of the workbook."""

import csv
import datetime as dt
import io

from openpyxl import Workbook

from referrals.returns.lists import Return

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "%d/%m/%Y"  # as Ofsted's Annex A template and the census guide show dates


def cell(value) -> str | int:
    """A value as the returns write it. Every value is a code, a date, a count or a
    reference made by the portal, never free text, so none can start a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, dt.date):
        return value.strftime(DATE_FORMAT)
    if isinstance(value, list):
        return ";".join(value)
    return value


def return_csv(result: Return) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([column.heading for column in result.columns])
    for row in result.rows:
        writer.writerow([cell(row[column.key]) for column in result.columns])
    return ("\ufeff" + buffer.getvalue()).encode()


def return_xlsx(result: Return) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(result.title[:31].replace(":", ""))
    sheet.append([column.heading for column in result.columns])
    for row in result.rows:
        values = []
        for column in result.columns:
            value = row[column.key]
            # Real dates in the workbook, so that a spreadsheet sorts and filters them.
            values.append(value if isinstance(value, dt.date) else cell(value))
        sheet.append(values)
    checks = workbook.create_sheet("Checks")
    checks.append(["Contact reference", "Rule", "Message"])
    for violation in result.violations:
        checks.append([violation.reference, violation.rule, violation.message])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


WRITERS = {"csv": (return_csv, CSV_CONTENT_TYPE), "xlsx": (return_xlsx, XLSX_CONTENT_TYPE)}
