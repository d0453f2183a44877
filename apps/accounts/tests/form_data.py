"""What a newcomer types into the sign-up form: valid unless told otherwise."""

GOOD_PASSWORD = "Tangerine-Lighthouse-84"


def signup_form_data(**changes):
    return {
        "username": "newcomer",
        "email": "newcomer@school.example",
        "first_name": "Nell",
        "last_name": "Newcomer",
        "password1": GOOD_PASSWORD,
        "password2": GOOD_PASSWORD,
        **changes,
    }
