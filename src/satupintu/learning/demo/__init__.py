"""The demo of Learn: the course catalogue of the provincial training centre (BPSDM Jatim)
and its partner agencies, class sessions in the coming weeks (and a few past ones, with
attendance), and employees with varied histories this year — some past their 20 JP, most
behind — with completions and certificates, courses in progress, a request awaiting the unit
head, an assignment by HR, claims (one awaiting HR) and a full session with a waiting list.

The employee ``petugas.dukcapil`` can walk the whole way: their largest competency gap
(outreach registration, never assessed) has a self-paced course with a quiz that builds it,
and a classroom course that builds it has sessions with free seats — one later on the day the
demo is loaded, so that attendance can be taken the same day, and others in three to six
weeks.

Everything goes through the services, so the demo obeys the same rules as the pages: only
sessions in the past, which no service may schedule, are written directly. Loading again
changes nothing: people, sessions, enrolments, bookings and claims are looked up first.
"""

from satupintu.learning.demo.loading import courses_dir, demo_learning_load

__all__ = ["courses_dir", "demo_learning_load"]
