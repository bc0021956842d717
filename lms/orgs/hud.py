"""HUD FY2026 codes the LMS itself needs (the sandbox keeps the full lists)."""

from __future__ import annotations

#: HUD FY2026 list 2.02.6 ProjectType (there is no code 5).
PROJECT_TYPES: dict[int, str] = {
    0: "Emergency Shelter - Entry Exit",
    1: "Emergency Shelter - Night-by-Night",
    2: "Transitional Housing",
    3: "PH - Permanent Supportive Housing",
    4: "Street Outreach",
    6: "Services Only",
    7: "Other",
    8: "Safe Haven",
    9: "PH - Housing Only",
    10: "PH - Housing with Services (no disability required for entry)",
    11: "Day Shelter",
    12: "Homelessness Prevention",
    13: "PH - Rapid Re-Housing",
    14: "Coordinated Entry",
}
