"""The tables of Learn, by purpose: the catalogue, enrolments and progress, classroom
sessions, and the JP ledger with its claims and certificates."""

from satupintu.learning.models.catalogue import (
    Choice,
    Course,
    CourseCompetency,
    Lesson,
    ProgrammeStep,
    Question,
)
from satupintu.learning.models.enrolment import Enrolment, LessonProgress, QuizAttempt
from satupintu.learning.models.ledger import Certificate, JpEntry, LearningClaim
from satupintu.learning.models.sessions import ClassSession, SessionBooking

__all__ = [
    "Certificate",
    "Choice",
    "ClassSession",
    "Course",
    "CourseCompetency",
    "Enrolment",
    "JpEntry",
    "LearningClaim",
    "Lesson",
    "LessonProgress",
    "ProgrammeStep",
    "Question",
    "QuizAttempt",
    "SessionBooking",
]
