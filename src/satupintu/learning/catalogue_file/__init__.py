"""Courses as code: the course file format, its checks, and loading it.

A course file is YAML holding a list of courses::

    courses:
      - code: pelayanan-prima
        title: {id: Pelayanan Prima, en: Service Excellence}
        summary: {id: …, en: …}
        modality: self_paced
        jp: 6
        provider: bpsdm-jatim
        competencies:
          - {code: pelayanan-publik, level: 2}
        lessons:
          - kind: text
            title: {id: …, en: …}
            body: {id: …, en: …}
          - kind: quiz
            title: {id: …, en: …}
            questions:
              - text: {id: …, en: …}
                competency: pelayanan-publik
                choices:
                  - {text: {id: …, en: …}, correct: true}
                  - {text: {id: …, en: …}}

``COURSE_SCHEMA`` is the JSON Schema of a file; ``courses_validate`` reads and checks files
without writing; ``courses_load`` checks everything first and then creates or updates the
courses by code, all or nothing. docs/learning.md describes the format for authors.
"""

from satupintu.learning.catalogue_file.checks import courses_validate
from satupintu.learning.catalogue_file.loading import CourseFileError, LoadResult, courses_load
from satupintu.learning.catalogue_file.reading import CourseFiles, Problem
from satupintu.learning.catalogue_file.schema import COURSE_SCHEMA, course_schema_text

__all__ = [
    "COURSE_SCHEMA",
    "CourseFileError",
    "CourseFiles",
    "LoadResult",
    "Problem",
    "course_schema_text",
    "courses_load",
    "courses_validate",
]
