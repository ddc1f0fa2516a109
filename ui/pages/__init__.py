"""The wizard's pages in the order of the meeting (Picard's ``SetupWizard.PAGES``).

Page 0 is the setup (会前准备); pages 1–10 are the ten steps. Every step has a
page of its own: the list below is the whole registry, nothing is discovered.
"""

from __future__ import annotations

from ui.pages.archive import ArchivePage
from ui.pages.ballot import BallotPage
from ui.pages.eligibility import EligibilityPage
from ui.pages.group_review import GroupReviewPage
from ui.pages.interview import InterviewPage
from ui.pages.plenary import PlenaryPage
from ui.pages.preparatory import PreparatoryPage
from ui.pages.primary_review import PrimaryReviewPage
from ui.pages.publicity import PublicityPage
from ui.pages.setup import SetupPage
from ui.pages.signing import SigningPage
from ui.wizard import StepPage

#: (page id, page class) in the order the wizard shows them: 0 = setup, then steps 1–10.
ORDERED: tuple[tuple[int, type[StepPage]], ...] = (
    (0, SetupPage),
    (1, PreparatoryPage),
    (2, EligibilityPage),
    (3, PrimaryReviewPage),
    (4, InterviewPage),
    (5, GroupReviewPage),
    (6, PlenaryPage),
    (7, BallotPage),
    (8, SigningPage),
    (9, ArchivePage),
    (10, PublicityPage),
)
PAGES: dict[int, type[StepPage]] = dict(ORDERED)
