"""Who may do what in Learn.

- Every employee (a user with an employee profile) is a **learner**.
- A **trainer** (widyaiswara) teaches the sessions they are named on; a trainer's role holds
  an agency (they teach that agency's courses) or none (they may teach any course).
- **Human resources** of an agency manage the courses that agency provides, see its
  employees' learning and decide their claims; HR without an agency on the role (the
  provincial civil service and training board) do so for every agency.
- A **unit head** approves and assigns the learning of the employees of the units they head
  and sees their compliance with the yearly 20 JP.

The answers are read once per request (one query for the roles) and kept on the user object.
Anything outside the caller's scope is "not found" in the selectors that use these helpers.
"""

from dataclasses import dataclass

from django.db.models import Q

from satupintu.accounts.constants import Role
from satupintu.accounts.models import EmployeeProfile, RoleAssignment

LEARNING_ROLES = (Role.TRAINER, Role.HR, Role.UNIT_HEAD)


@dataclass(frozen=True)
class LearningAccess:
    """What one user may do in Learn, beyond their own learning."""

    employee: EmployeeProfile | None = None
    trainer: bool = False
    # Agencies whose courses the trainer teaches; empty with ``trainer`` set: any course.
    trainer_agency_ids: frozenset[int] = frozenset()
    hr_everywhere: bool = False
    hr_agency_ids: frozenset[int] = frozenset()
    unit_ids: frozenset[int] = frozenset()

    @property
    def is_learner(self) -> bool:
        return self.employee is not None

    @property
    def is_hr(self) -> bool:
        return self.hr_everywhere or bool(self.hr_agency_ids)

    @property
    def is_unit_head(self) -> bool:
        return bool(self.unit_ids)

    @property
    def manages_people(self) -> bool:
        """HR or a unit head: sees (some) employees' learning."""
        return self.is_hr or self.is_unit_head

    def covers_hr(self, employee: EmployeeProfile | None) -> bool:
        """Whether HR's scope includes ``employee``."""
        if employee is None:
            return False
        return self.hr_everywhere or employee.agency_id in self.hr_agency_ids

    def heads(self, employee: EmployeeProfile | None) -> bool:
        """Whether ``employee`` works in a unit that this user heads."""
        return employee is not None and employee.unit_id in self.unit_ids

    def covers(self, employee: EmployeeProfile | None) -> bool:
        """HR of the employee's agency, or head of their unit."""
        return self.covers_hr(employee) or self.heads(employee)

    def employee_q(self, prefix: str = "") -> Q:
        """Employee profiles (``prefix`` leads from the queried model to one) that this user
        sees as HR or unit head; nothing when neither."""
        # Never an empty Q: OR-ed with another, an empty Q would vanish instead of matching all.
        if self.hr_everywhere:
            return Q(**{f"{prefix}pk__isnull": False})
        q = Q(**{f"{prefix}pk__in": []})
        if self.hr_agency_ids:
            q |= Q(**{f"{prefix}agency_id__in": sorted(self.hr_agency_ids)})
        if self.unit_ids:
            q |= Q(**{f"{prefix}unit_id__in": sorted(self.unit_ids)})
        return q

    def course_q(self, prefix: str = "") -> Q:
        """Courses (``prefix`` leads to one) whose catalogue entry this user manages as HR:
        those their agency provides, or all for HR of the whole government."""
        if self.hr_everywhere:
            return Q(**{f"{prefix}pk__isnull": False})
        return Q(**{f"{prefix}provider_id__in": sorted(self.hr_agency_ids)})

    def manages_course(self, course) -> bool:
        return self.hr_everywhere or course.provider_id in self.hr_agency_ids

    def teaches(self, course) -> bool:
        """Whether this user may be named trainer of a session of ``course``."""
        if not self.trainer:
            return False
        return not self.trainer_agency_ids or course.provider_id in self.trainer_agency_ids


def _employee(user) -> EmployeeProfile | None:
    try:
        return user.employee
    except EmployeeProfile.DoesNotExist:
        return None


def learning_access(user) -> LearningAccess:
    """What ``user`` may do in Learn (read once per request and kept on the user)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return LearningAccess()
    cached = getattr(user, "_satupintu_learning_access", None)
    if cached is not None:
        return cached
    trainer, trainer_anywhere, hr_everywhere = False, False, False
    trainer_agencies, hr_agencies, units = set(), set(), set()
    for role, agency_id, unit_id in RoleAssignment.objects.filter(
        user_id=user.pk, role__in=LEARNING_ROLES
    ).values_list("role", "agency_id", "unit_id"):
        if role == Role.TRAINER:
            trainer = True
            if agency_id is None:
                trainer_anywhere = True
            else:
                trainer_agencies.add(agency_id)
        elif role == Role.HR:
            if agency_id is None:
                hr_everywhere = True
            else:
                hr_agencies.add(agency_id)
        elif unit_id is not None:
            units.add(unit_id)
    access = LearningAccess(
        employee=_employee(user),
        trainer=trainer,
        trainer_agency_ids=frozenset() if trainer_anywhere else frozenset(trainer_agencies),
        hr_everywhere=hr_everywhere,
        hr_agency_ids=frozenset() if hr_everywhere else frozenset(hr_agencies),
        unit_ids=frozenset(units),
    )
    user._satupintu_learning_access = access
    return access


def hr_agency_ids(user) -> set[int] | None:
    """The agencies ``user`` works for as HR: ``None`` means every agency; an empty set none."""
    access = learning_access(user)
    return None if access.hr_everywhere else set(access.hr_agency_ids)


def headed_unit_ids(user) -> set[int]:
    """The units ``user`` heads."""
    return set(learning_access(user).unit_ids)


def is_trainer(user) -> bool:
    return learning_access(user).trainer


def is_learner(user) -> bool:
    """An active user with an employee profile."""
    return learning_access(user).is_learner


def is_hr(user) -> bool:
    return learning_access(user).is_hr


def is_unit_head(user) -> bool:
    return learning_access(user).is_unit_head
