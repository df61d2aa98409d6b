"""Which account a single sign-on identity belongs to (SPEC 7: optional OpenID Connect log-in,
no self sign-up): the rule alone, on plain data."""

from __future__ import annotations

from stportal.accounts.sso_rules import Account, Match, Refusal, match_identity

SARA = Account(user_id=7, value="sara.berglund@region.example", active=True)
VERIFIED = {"sub": "abc-123", "email": "sara.berglund@region.example", "email_verified": True}


def match(claims, *accounts: Account, claim: str = "email") -> Match:
    return match_identity(claims, match_claim=claim, accounts=list(accounts))


def test_a_verified_address_of_one_active_account_logs_in_as_that_account():
    assert match(VERIFIED, SARA) == Match(7, None)


def test_the_address_is_compared_without_letter_case_or_surrounding_space():
    claims = {**VERIFIED, "email": " Sara.Berglund@Region.Example "}
    assert match(claims, SARA) == Match(7, None)


def test_an_address_the_provider_did_not_verify_is_refused():
    for flag in (False, "false", None, "yes", 1):
        claims = {**VERIFIED, "email_verified": flag}
        assert match(claims, SARA) == Match(None, Refusal.UNVERIFIED), flag
    without_flag = {key: value for key, value in VERIFIED.items() if key != "email_verified"}
    assert match(without_flag, SARA) == Match(None, Refusal.UNVERIFIED)


def test_a_provider_that_sends_the_flag_as_text_is_understood():
    assert match({**VERIFIED, "email_verified": "true"}, SARA) == Match(7, None)


def test_an_identity_without_the_claim_is_refused():
    assert match({"sub": "abc-123"}, SARA) == Match(None, Refusal.MISSING)
    assert match({**VERIFIED, "email": ["a@b.se"]}, SARA) == Match(None, Refusal.MISSING)


def test_an_address_no_account_has_is_refused_and_nothing_is_made():
    assert match(VERIFIED) == Match(None, Refusal.UNKNOWN)
    other = Account(user_id=8, value="someone.else@region.example", active=True)
    assert match(VERIFIED, other) == Match(None, Refusal.UNKNOWN)


def test_an_account_that_is_switched_off_is_refused():
    assert match(VERIFIED, Account(7, SARA.value, active=False)) == Match(None, Refusal.INACTIVE)


def test_an_active_account_wins_over_a_switched_off_one_with_the_same_address():
    old = Account(3, SARA.value.upper(), active=False)
    assert match(VERIFIED, old, SARA) == Match(7, None)


def test_two_active_accounts_with_the_address_are_refused():
    twin = Account(9, SARA.value.upper(), active=True)
    assert match(VERIFIED, SARA, twin) == Match(None, Refusal.AMBIGUOUS)


def test_another_claim_is_matched_as_the_provider_states_it_unless_it_says_unverified():
    """A region may match on a claim of its own records (an employee id as the user name)."""
    account = Account(4, "hsa-se2321000-1234", active=True)
    claims = {"sub": "x", "hsa_id": "HSA-SE2321000-1234"}
    assert match(claims, account, claim="hsa_id") == Match(4, None)
    unverified = {**claims, "hsa_id_verified": False}
    assert match(unverified, account, claim="hsa_id") == Match(None, Refusal.UNVERIFIED)
