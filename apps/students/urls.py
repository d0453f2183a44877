from django.urls import path
from django.views.generic import TemplateView

student_patterns = ([path("", TemplateView.as_view(template_name="base.html"), name="list")], "students")
course_patterns = ([path("", TemplateView.as_view(template_name="base.html"), name="list")], "courses")
