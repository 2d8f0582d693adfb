from django.apps import AppConfig


class SubjectsConfig(AppConfig):
    name = "waarborg.subjects"
    label = "subjects"
