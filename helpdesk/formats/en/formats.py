"""US English display formats (settings.FORMAT_MODULE_PATH): "Mon Dec 7, 2026", "11:30 AM".

Every page formats dates and times through these names (`|date`, `|date:"DATETIME_FORMAT"`,
`|time`, django.utils.formats in Python), so each language has one format. Django's own
`en` module still supplies what is not set here (input formats, separators).
"""

DATE_FORMAT = "D M j, Y"
MONTH_DAY_FORMAT = "D M j"
TIME_FORMAT = "g:i A"
DATETIME_FORMAT = "D M j, Y, g:i A"
SHORT_DATETIME_FORMAT = "M j, g:i A"
YEAR_MONTH_FORMAT = "F Y"
