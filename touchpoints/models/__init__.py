from .care import (  # noqa: F401
    CareIssue,
    CareSettings,
    CareTask,
    CareTaskCall,
    CommunityNotice,
    ImprovementPlan,
    Meeting,
    MeetingFeedback,
    MysteryShopperCheck,
    ProgressLetter,
    ScanMark,
    SiteOpenDay,
    VisitRound,
)
from .catalogue import Action, EvidenceFile, Execution, ProjectAction, Step  # noqa: F401
from .outbox import MessageTemplate, OutboundMessage  # noqa: F401
