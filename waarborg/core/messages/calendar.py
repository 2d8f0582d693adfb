"""Dates given on the command line and the decreed days off (`waarborg holidays`)."""

from django.utils.translation import gettext_lazy as _

MESSAGES = {
    "calendar.not_a_date": _("not a date in the form YYYY-MM-DD: '%(value)s'"),
    "calendar.decreed_days_shipped_unreadable": _("the shipped list of decreed days cannot be read (%(error)s)"),
    "calendar.decreed_days_file_unreadable": _("%(file)s in the data directory cannot be read (%(error)s)"),
    "calendar.year_not_a_number": _("give the year as a number (--year 2029)"),
    "calendar.year_out_of_range": _("the year must lie between %(first)s and %(last)s"),
    "calendar.day_missing": _("give at least one --day"),
    "calendar.day_not_a_date": _("'%(value)s' is not a date (YYYY-MM-DD)"),
    "calendar.day_other_year": _("%(day)s is not in %(year)s"),
    "calendar.day_in_weekend": _("%(day)s is a %(weekday)s: a weekend day needs no decree"),
    "calendar.day_public_holiday": _("%(day)s is a public holiday already"),
    "calendar.source_missing": _("give the decree's source (--source), such as its title and Staatscourant number"),
    "calendar.source_too_long": _("the source is longer than %(max)s characters"),
    "calendar.no_data_directory": _("no data directory is configured"),
}
