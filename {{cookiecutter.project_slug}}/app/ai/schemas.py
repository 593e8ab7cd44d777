"""The summary the model must reply with, which the summary route returns as it is."""

from pydantic import BaseModel, ConfigDict, Field


class ItemSummary(BaseModel):
    # Sent to the provider as the reply's JSON schema; a reply with other fields is refused.
    model_config = ConfigDict(extra="forbid")

    summary: str = Field(description="What the item is about, in one or two sentences.")
    keywords: list[str] = Field(
        max_length=5, description="Up to five keywords, lower case, most telling first."
    )
