# Copyright 2026 Je crée
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""French public holidays (metropolitan France), computed for any year."""

from datetime import date, timedelta

from dateutil.easter import easter

# (month, day, label): the fixed public holidays (Code du travail, art. L3133-1)
FIXED_HOLIDAYS = (
    (1, 1, "Jour de l'an"),
    (5, 1, "Fête du travail"),
    (5, 8, "Victoire 1945"),
    (7, 14, "Fête nationale"),
    (8, 15, "Assomption"),
    (11, 1, "Toussaint"),
    (11, 11, "Armistice 1918"),
    (12, 25, "Noël"),
)
# (days after Easter Sunday, label)
EASTER_HOLIDAYS = (
    (1, "Lundi de Pâques"),
    (39, "Ascension"),
    (50, "Lundi de Pentecôte"),
)


def french_public_holidays(year):
    """Return {date: label} of the 11 French public holidays of `year`."""
    holidays = {date(year, month, day): label for month, day, label in FIXED_HOLIDAYS}
    easter_sunday = easter(year)
    for offset, label in EASTER_HOLIDAYS:
        holidays[easter_sunday + timedelta(days=offset)] = label
    return dict(sorted(holidays.items()))
