"""Import every feature's models, so the metadata knows all tables."""

from app.admin.attempts import FailedAttempt
from app.admin.models import Account, Draft, ValueChange
from app.admin.tokens import AccountToken
from app.alerts.models import AlertEvent, Delivery, Outbox, Subscriber, Subscription
from app.campaigns.models import Campaign, CampaignAction
from app.campaigns.pledges import Pledge, PledgeAction, PledgeGoal, PledgeVoid
from app.campaigns.posts import CampaignPost
from app.compare.models import Comparison, ComparisonEntry
from app.indicators.models import Indicator, Observation, Topic
from app.limits import LimitHit
from app.pages.models import Page
from app.plans.models import Plan, PlanPhase, PlanProvision, PlanTheme, ReportingDuty, Task
from app.provinces.models import Agency, Province
from app.publishing import PublishedChange, SiteState
from app.sources.models import PlanDocument, SourceDocument

__all__ = [
    "Account",
    "AccountToken",
    "Outbox",
    "AlertEvent",
    "Delivery",
    "Subscriber",
    "Subscription",
    "FailedAttempt",
    "Draft",
    "ValueChange",
    "Agency",
    "Campaign",
    "CampaignAction",
    "CampaignPost",
    "LimitHit",
    "Pledge",
    "PledgeAction",
    "PledgeGoal",
    "PledgeVoid",
    "Comparison",
    "ComparisonEntry",
    "Indicator",
    "Observation",
    "Page",
    "Plan",
    "SiteState",
    "PublishedChange",
    "PlanDocument",
    "PlanPhase",
    "PlanProvision",
    "PlanTheme",
    "Province",
    "ReportingDuty",
    "SourceDocument",
    "Task",
    "Topic",
]
