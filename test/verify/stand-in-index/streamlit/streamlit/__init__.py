"""NOT Streamlit: the stand-in of the tests. The page functions do nothing: like the real
server, `streamlit run` only runs the script when a browser session opens, which no test does."""
__version__ = "1.41.1+stand.in"


def _noop(*_args, **_kwargs):
    return None


title = header = write = markdown = line_chart = bar_chart = dataframe = _noop
