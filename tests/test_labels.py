from jury.labels import label


def test_one_word_per_round_status_as_in_the_glossary():
    assert [label(s, "round") for s in ("draft", "open", "deliberation", "closed")] == [
        "en préparation",
        "notation",
        "délibération",
        "clos",
    ]


def test_an_unknown_status_is_shown_as_it_is():
    assert label("suspended", "round") == "suspended"
    assert label("withdrawn", "candidate") == "retiré"
