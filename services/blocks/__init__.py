"""StreamField blocks of the services app, re-exported for models and migrations.

``catalogue``: the procedure page (cases, channels, fees, components, legal bases).
``forms``: the fields editors build online service forms from (``OnlineServiceForm``).
"""

from services.blocks.catalogue import (
    CHANNEL_CHOICES,
    TIME_UNIT_CHOICES,
    CaseBlock,
    ChannelBlock,
    ComponentBlock,
    DecisionBlock,
    FeeBlock,
    LegalBasisBlock,
)
from services.blocks.forms import FORM_FIELD_BLOCKS, FormFieldBlock

__all__ = [
    "CHANNEL_CHOICES",
    "FORM_FIELD_BLOCKS",
    "TIME_UNIT_CHOICES",
    "CaseBlock",
    "ChannelBlock",
    "ComponentBlock",
    "DecisionBlock",
    "FeeBlock",
    "FormFieldBlock",
    "LegalBasisBlock",
]
