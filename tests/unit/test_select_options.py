from markupsafe import Markup

from portal.web.components import select_options


def test_options_escape_values_and_text_and_mark_only_the_selected_one():
    html = select_options([(1, "Cast <A>"), (2, 'Cast "B"'), (12, "Cast C")], 2)
    assert isinstance(html, Markup)
    assert html == (
        '<option value="1">Cast &lt;A&gt;</option>'
        '<option value="2" selected>Cast &#34;B&#34;</option>'
        '<option value="12">Cast C</option>'
    )


def test_nothing_is_selected_when_the_value_matches_no_choice():
    assert " selected" not in select_options([("2027-01-11", "Monday 11 January 2027")], None)
    assert select_options([], 1) == ""
