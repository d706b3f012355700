"""Spanish display formats (settings.FORMAT_MODULE_PATH): "lun 7 dic. 2026", "11:30" (24-hour).

The same names as the English module; see helpdesk/formats/en/formats.py.
"""

DATE_FORMAT = "D j b. Y"
MONTH_DAY_FORMAT = "D j b."
TIME_FORMAT = "G:i"
DATETIME_FORMAT = "D j b. Y, G:i"
SHORT_DATETIME_FORMAT = "j b., G:i"
YEAR_MONTH_FORMAT = r"F \d\e Y"
