from jury.auth import codes


def test_new_codes_are_two_groups_of_four_unambiguous_characters():
    for _ in range(200):
        code = codes.new_code()
        assert len(code) == 9 and code[4] == "-"
        assert set(code.replace("-", "")) <= set(codes.ALPHABET)
        assert not set(code) & set("01ILOU")


def test_typed_codes_are_normalised_or_rejected():
    assert codes.normalise(" abcd 2345 ") == "ABCD-2345"
    assert codes.normalise("abcd-2345") == "ABCD-2345"
    assert codes.normalise("ABCD-234") is None
    assert codes.normalise("ABCD-2340") is None  # 0 is not in the alphabet
    assert codes.normalise("") is None
