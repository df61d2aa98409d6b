"""The demo's organisation: Region Västerbotten's areas and home units."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AreaSpec:
    name: str
    purchaser_id: str
    invoice_address: str


@dataclass(frozen=True)
class UnitSpec:
    name: str
    area: str
    cost_centre: str
    away_from_host_site: bool
    specialties: tuple[str, ...]
    trainees: int
    invoice_address: str = ""


AREAS = (
    AreaSpec(
        "Umeå",
        "B12345",
        "Region Västerbotten\nOmråde Umeå, leverantörsfakturor\nBox 4100\n901 04 Umeå",
    ),
    AreaSpec(
        "Skellefteå",
        "B23456",
        "Region Västerbotten\nOmråde Skellefteå, leverantörsfakturor\nBox 4200\n901 04 Umeå",
    ),
    AreaSpec(
        "Södra Lappland",
        "B34567",
        "Region Västerbotten\nOmråde Södra Lappland, leverantörsfakturor\nBox 4300\n901 04 Umeå",
    ),
)

# The host site NUS is in Umeå: units elsewhere are away from it and get lodging paid (C20).
# Mariehem is a private vårdcentral: no cost centre of the region, its own invoice address (C16).
HOME_UNITS = (
    UnitSpec("Hälsocentralen Ersboda", "Umeå", "KST 41210", False, ("allmanmedicin",), 10),
    UnitSpec("Hälsocentralen Ålidhem", "Umeå", "KST 41220", False, ("allmanmedicin",), 9),
    UnitSpec(
        "Vårdcentralen Mariehem (privat)",
        "Umeå",
        "",
        False,
        ("allmanmedicin",),
        7,
        invoice_address="Mariehems Vårdcentral AB\nFakturor\nBox 7050\n907 02 Umeå",
    ),
    UnitSpec(
        "Medicincentrum, NUS",
        "Umeå",
        "KST 42110",
        False,
        ("internmedicin", "geriatrik", "onkologi"),
        28,
    ),
    UnitSpec("Psykiatri, NUS", "Umeå", "KST 42310", False, ("psykiatri",), 14),
    UnitSpec(
        "Kirurg- och ortopedcentrum, NUS",
        "Umeå",
        "KST 42510",
        False,
        ("kirurgi", "ortopedi"),
        16,
    ),
    UnitSpec(
        "Barn- och kvinnocentrum, NUS",
        "Umeå",
        "KST 42710",
        False,
        ("barn-och-ungdomsmedicin", "obstetrik-och-gynekologi"),
        14,
    ),
    UnitSpec(
        "Akut- och intensivvård, NUS",
        "Umeå",
        "KST 42810",
        False,
        ("anestesi-och-intensivvard", "akutsjukvard", "radiologi"),
        10,
    ),
    UnitSpec(
        "Medicinkliniken, Skellefteå lasarett",
        "Skellefteå",
        "KST 43110",
        True,
        ("internmedicin", "akutsjukvard"),
        12,
    ),
    UnitSpec(
        "Hälsocentralen Norrmalm, Skellefteå",
        "Skellefteå",
        "KST 43310",
        True,
        ("allmanmedicin",),
        9,
    ),
    UnitSpec(
        "Lycksele lasarett",
        "Södra Lappland",
        "KST 44110",
        True,
        ("internmedicin", "kirurgi"),
        8,
    ),
    UnitSpec(
        "Hälsocentralen Vilhelmina", "Södra Lappland", "KST 44310", True, ("allmanmedicin",), 6
    ),
    UnitSpec("Hälsocentralen Storuman", "Södra Lappland", "KST 44320", True, ("allmanmedicin",), 5),
)

TRAINEES_PER_SUPERVISOR = 5
