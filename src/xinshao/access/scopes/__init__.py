"""What each user may see and change: the one place that answers it.

Every page, service, export and API asks these selectors; an object outside them is
answered with 404, so its existence is never revealed. Rules follow DESIGN.md ("need to
know"): bureau roles see schools and aggregates, not individual students; a school's
admin and psych teacher see that school's students; a class teacher sees their classes;
a student sees themself; a guardian sees their own children.

One module per domain (people, campaigns, alerts, sentinel, cases); callers keep asking
`scopes.<name>` from this package, which re-exports every public name.
"""
from .activities import *  # noqa: F403
from .api import *  # noqa: F403
from .alerts import *  # noqa: F403
from .base import assignments, region_subtree_ids, roles_of  # noqa: F401
from .break_glass import *  # noqa: F403
from .campaigns import *  # noqa: F403
from .compliance import *  # noqa: F403
from .consent import *  # noqa: F403
from .counseling import *  # noqa: F403
from .dashboards import *  # noqa: F403
from .cases import *  # noqa: F403
from .governance import *  # noqa: F403
from .hotline import *  # noqa: F403
from .norms import *  # noqa: F403
from .partners import *  # noqa: F403
from .people import *  # noqa: F403
from .records import *  # noqa: F403
from .retention import *  # noqa: F403
from .sentinel import *  # noqa: F403
from .workforce import *  # noqa: F403
from .webhooks import *  # noqa: F403
