"""Bundle the gettext catalogues of the United Kingdom's bank holidays.

The analysis finds the ``holidays`` modules (the package imports every country
for type checkers) but not the catalogues beside them, so a holiday's name
would no longer follow the user's language settings as it does in an installed
copy. Only the UK's: the only country the app asks for.
"""

from PyInstaller.utils.hooks import collect_data_files

datas = collect_data_files("holidays", includes=["locale/*/LC_MESSAGES/GB.mo"])
