from allauth.account.adapter import DefaultAccountAdapter


class NoSignupAccountAdapter(DefaultAccountAdapter):
    """People are created by staff or an HR import, never by self sign-up."""

    def is_open_for_signup(self, request) -> bool:
        return False
