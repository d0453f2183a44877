"""What a person types into the student and course forms: valid unless told otherwise."""


def student_form_data(**changes):
    return {
        "first_name": "Grace",
        "last_name": "Hopper",
        "email": "grace.hopper@school.example",
        "date_of_birth": "2008-12-09",
        "status": "active",
        "enrolled_on": "2024-09-02",
        "notes": "",
        **changes,
    }


def course_form_data(**changes):
    return {"code": "CS101", "title": "Computing", "capacity": "20", "description": "", **changes}
