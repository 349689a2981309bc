import pytest

from tracker.countries import CountryError, fold, regional_groups, resolve_offline


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Republic of Korea", "KOR"),
        ("Democratic People's Republic of Korea", "PRK"),
        ("Niger", "NER"),
        ("Nigeria", "NGA"),
        ("Venezuela (Bolivarian Republic of)", "VEN"),
        ("Democratic Republic of the Congo", "COD"),
        ("Congo", "COG"),
        ("Netherlands", "NLD"),
        ("netherlands (kingdom of the)", "NLD"),
        ("Côte d'Ivoire", "CIV"),
        ("Cote d’Ivoire", "CIV"),
        ("Türkiye", "TUR"),
        ("Turkiye", "TUR"),
        ("UNITED STATES", "USA"),
        ("qa", "QAT"),
        ("QAT", "QAT"),
    ],
)
def test_un_names_resolve_exactly(name, code):
    assert resolve_offline(name) == code


def test_ambiguous_name_lists_candidates():
    with pytest.raises(CountryError) as caught:
        resolve_offline("Korea")
    message = str(caught.value)
    assert "Republic of Korea (KOR)" in message
    assert "Democratic People's Republic of Korea (PRK)" in message


def test_unknown_name_suggests_and_never_guesses():
    with pytest.raises(CountryError, match=r"Did you mean: .*Netherlands.*\(NLD\)"):
        resolve_offline("Netherland")
    with pytest.raises(CountryError, match="unknown country 'Atlantis'"):
        resolve_offline("Atlantis")


def test_fold_ignores_case_accents_and_apostrophes():
    assert fold("  Côte d’Ivoire ") == "cote d'ivoire"


def test_regional_groups_cover_the_193_members_once():
    members = [code for group in regional_groups() for code in group.members]
    assert len(members) == 193
    assert len(set(members)) == 193
    assert [g.id for g in regional_groups()] == ["african", "asia_pacific", "eeg", "grulac", "weog"]
