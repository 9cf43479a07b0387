"""Record and account numbers after their label (account_id_v1, bank_account_v1 after a sort code)
and vehicle identifiers (vin_v1, vin_checked_v1, plate_v1): HIPAA's health plan beneficiary and
account numbers, "any other unique identifying number", vehicle identifiers and plates.

Each is found only where its label (or, for a VIN, its check digit) says what it is; the same
digits elsewhere, labels without a number, placeholders and the numbers of things (orders,
invoices, cases, flights, seats, SKUs, group plans) are kept.
"""

from __future__ import annotations

import pytest

from scrubber.detect.validators import vin, vin_shape
from tests.detect_helpers import found

RECORD_IDS_FOUND = [
    # a health plan member card: the member ID, not the group number (an employer's plan)
    ("Member: KOWALCZYK, ANNA    Member ID: XGH847293011    Group No: 0048213",
     [("ACCOUNT_ID", "XGH847293011")]),
    ("Subscriber ID: W123456789", [("ACCOUNT_ID", "W123456789")]),
    ("Policy number: PLC-20491837", [("ACCOUNT_ID", "PLC-20491837")]),
    ("Beneficiary ID 1EG4TE5MK7300", []),  # letters inside the digits: no value of this shape
    ("Student ID: 20419387", [("ACCOUNT_ID", "20419387")]),
    ("Employee ID: E0048213", [("ACCOUNT_ID", "E0048213")]),
    ("Staff No. 004821", [("ACCOUNT_ID", "004821")]),  # a window of the house-number branch (`No. `)
    ("Customer number: 100482913", [("ACCOUNT_ID", "100482913")]),  # was a PHONE_NUMBER ("number")
    ("Membership no. 7730 2291", [("ACCOUNT_ID", "7730 2291")]),
    ("Frequent flyer: BA 73829104", [("ACCOUNT_ID", "BA 73829104")]),
    ("Loyalty card 6001 2345 6789", [("ACCOUNT_ID", "6001 2345 6789")]),  # was a CREDIT_CARD (Luhn)
    ("My employee number is 5520417, badge 7730229.",
     [("ACCOUNT_ID", "5520417"), ("ACCOUNT_ID", "7730229")]),
    ("customer #1048829 called", [("ACCOUNT_ID", "1048829")]),
    ("Kundennummer: 10482913", [("ACCOUNT_ID", "10482913")]),
    ("número de socio 7730229", [("ACCOUNT_ID", "7730229")]),
    # `es`/`ist`/`est` after a label of another language: was a PHONE_NUMBER ("mi número")
    ("mi número de cliente es 612345678", [("ACCOUNT_ID", "612345678")]),
    ("Kundennummer ist 10482913", [("ACCOUNT_ID", "10482913")]),
    # a UK bank statement: `Account` alone after a sort code on the line is a bank account
    ("Sort code 40-47-84   Account 71234568", [("BANK_ACCOUNT", "71234568")]),
    ("Sort-code: 40-47-84, acc: 71234568", [("BANK_ACCOUNT", "71234568")]),
    # Medicare Beneficiary Identifiers (medicare_mbi_v1): dashed anywhere, compact after the label
    ("Medicare number 1EG4-TE5-MK73", [("ACCOUNT_ID", "1EG4-TE5-MK73")]),
    ("MBI: 1EG4TE5MK73", [("ACCOUNT_ID", "1EG4TE5MK73")]),
    ("Medicare Beneficiary Identifier (MBI): 1EG4 TE5 MK73", [("ACCOUNT_ID", "1EG4 TE5 MK73")]),
    ("Medicare card: 2WK7-N95-GH21", [("ACCOUNT_ID", "2WK7-N95-GH21")]),
    ("copy of card 1EG4-TE5-MK73 on file", [("ACCOUNT_ID", "1EG4-TE5-MK73")]),
]


@pytest.mark.parametrize(("text", "expected"), RECORD_IDS_FOUND)
def test_record_id_after_its_label(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


RECORD_IDS_KEPT = [
    # the label without a value, or with a form's placeholder
    "Member ID: ________",
    "Employee ID: N/A",
    "Customer number: 0000000",
    "Policy number: 2024-03-02",  # a date written where the number goes
    # code: OAuth and database keys (no space in the key), a Stripe customer object's id
    "client_id = 1234567890",
    "customer_id = 42",
    'params = {"customer_id": "cus_9s6XKzkNRiz8i3", "employee_id": 1234567}',
    # prose: the label's words with other words between them and a number
    "Bring your student ID card to 12345678 Main Street",
    "The frequent flyer programme added 1234567 members in 2023.",
    "our customer base grew by 1234567 last year",
    "The policy was updated 12345678 times",
    # the numbers of things, plans and public records
    "Order number 12345678, invoice 1234567, ticket 4455667",
    "Group No: 0048213",
    "Case No. 1:23-cv-04821",
    "Flight BA 117, Seat 34A",
    "SKU 4006381333931",
    # `account` alone: a ticket's account stays without a sort code on its line
    "account 12345678 was locked after three attempts",
    "Sort code 40-47-84\nAccount 71234568",  # the sort code on another line
    # Medicare's layout: compact without its label, a letter CMS leaves out (S, L, O, I, B, Z),
    # a character too many or too few, inside a longer token or a path
    "build 1EG4TE5MK73 passed",
    "MBI: 1SG4-TE5-MK73",
    "MBI: 1EG4-TE5-MK7",
    "ref 1EG4-TE5-MK73-22",
    "see https://x.org/a/1EG4-TE5-MK73",
    "MBI 0EG4-TE5-MK73",  # position 1 is 1-9
]


@pytest.mark.parametrize("text", RECORD_IDS_KEPT)
def test_record_id_keeps_look_alikes(text: str) -> None:
    assert found(text) == []


def test_record_id_national_insurance_is_no_insurance_policy() -> None:
    """`National Insurance number` and `Social Insurance Number` are the NINO's and the SIN's
    labels, not an insurance policy's: digits after them stay what they were (a phone reading, a
    checked SIN)."""
    assert found("National Insurance number: 12345678") == [("PHONE_NUMBER", "12345678")]
    assert found("Social Insurance Number 130-692-544") == [("NATIONAL_ID", "130-692-544")]


VEHICLES_FOUND = [
    ("VIN: 1HGCM82633A004352", [("VEHICLE_ID", "1HGCM82633A004352")]),
    # a European VIN has no check digit: found after its label only
    ("Fahrgestellnummer: WVWZZZ1JZ3W386752", [("VEHICLE_ID", "WVWZZZ1JZ3W386752")]),
    ("vehicle identification number is WVWZZZ1JZ3W386752.", [("VEHICLE_ID", "WVWZZZ1JZ3W386752")]),
    # without the label where the North American check digit holds (X for 10 too)
    ("The car (1HGCM82633A004352) was sold.", [("VEHICLE_ID", "1HGCM82633A004352")]),
    ("Recall notice for 1M8GDM9AXKP042788", [("VEHICLE_ID", "1M8GDM9AXKP042788")]),
    # number plates after their label
    ("Reg: AB12 CDE", [("VEHICLE_ID", "AB12 CDE")]),
    ("Vehicle registration AB12CDE, MOT due", [("VEHICLE_ID", "AB12CDE")]),
    ("license plate 7ABC123", [("VEHICLE_ID", "7ABC123")]),
]


@pytest.mark.parametrize(("text", "expected"), VEHICLES_FOUND)
def test_vehicle_identifier(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


VEHICLES_KEPT = [
    "The code 1HGCM82633A004353 is VIN-shaped.",  # the check digit fails, no label
    "WVWZZZ1JZ3W386752",  # a European VIN alone: no check digit to tell it from any token
    "VIN: 11111111111111111",  # one character repeated
    "VIN: 12345678901234567",  # digits only: some other number
    "build 1HGCM82633A004352ab",  # part of a longer token
    "sha 1HGCM82633A00435",  # 16 characters
    "Meet at AB12 CDE",  # a plate's shape without its label
    "7ABC123 is the part number",
    "Company Registration No. SC123456",  # a company's number, no plate's shape
    "Reg: 2024 results",
]


@pytest.mark.parametrize("text", VEHICLES_KEPT)
def test_vehicle_identifier_keeps_look_alikes(text: str) -> None:
    assert found(text) == []


def test_vin_check_digit() -> None:
    """The North American check digit: a digit or X (remainder 10); a letter among the 17."""
    assert vin("1HGCM82633A004352")
    assert vin("1M8GDM9AXKP042788")
    assert not vin("1HGCM82633A004353")
    assert not vin("1HGCM82633A00435")  # 16 characters
    assert not vin("1HGCM8263IA004352")  # I is no VIN character
    assert vin_shape("WVWZZZ1JZ3W386752")
    assert not vin_shape("WVWZZZ1JZ3W38675A")  # the last four are digits
