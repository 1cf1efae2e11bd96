"""The standard deadlines as an e-mail names them, per language (pure).

A deadline opened without a label of its own carries the English words of
``domain.words.DEADLINES``; an e-mail in another language shows its own words for it.
The labels the engine writes for one company or one order ("Response of …", "Order 2: …")
are worded the same way around the name or text they carry, which stays as written.
"""

from __future__ import annotations

import re

from domain.words import DEADLINES
from notifications.dates import format_number

# By deadline name, then language; English is ``DEADLINES`` itself. Dutch as the portal
# says it (api/locale/nl/LC_MESSAGES/portal.po), the others in the public pages' terms.
DEADLINE_PHRASES: dict[str, dict[str, str]] = {
    "register": {
        "nl": "Registreer de klacht",
        "bn": "অভিযোগ নথিভুক্ত করা",
        "tr": "Şikâyetin kaydedilmesi",
        "zh": "登记投诉",
    },
    "admissibility": {
        "nl": "Beslissen over de ontvankelijkheid",
        "bn": "গ্রহণযোগ্যতার বিষয়ে সিদ্ধান্ত",
        "tr": "Kabul edilebilirlik hakkında karar",
        "zh": "就是否受理作出决定",
    },
    "response": {
        "nl": "Reactie van het bedrijf op de klacht",
        "bn": "অভিযোগের বিষয়ে কোম্পানির জবাব",
        "tr": "Şirketin şikâyete yanıtı",
        "zh": "公司对投诉的答复",
    },
    "mediation": {
        "nl": "Bemiddeling",
        "bn": "মধ্যস্থতা",
        "tr": "Arabuluculuk",
        "zh": "调解",
    },
    "hearing": {
        "nl": "De hoorzitting houden",
        "bn": "শুনানি অনুষ্ঠান",
        "tr": "Duruşmanın yapılması",
        "zh": "举行听证",
    },
    "decision": {
        "nl": "Uitspraak doen",
        "bn": "সিদ্ধান্ত প্রদান",
        "tr": "Kararın verilmesi",
        "zh": "作出裁决",
    },
    "remediation_plan": {
        "nl": "Een herstelplan indienen",
        "bn": "প্রতিকার পরিকল্পনা জমা দেওয়া",
        "tr": "Zararın giderilmesi planının sunulması",
        "zh": "提交补救计划",
    },
    "progress_report": {
        "nl": "Rapporteren over de voortgang van het herstel",
        "bn": "প্রতিকারের অগ্রগতির প্রতিবেদন",
        "tr": "Zararın giderilmesindeki ilerlemeye dair rapor",
        "zh": "报告补救进展",
    },
    "dialogue": {
        "nl": "Directe dialoog tussen de partijen",
        "bn": "দুই পক্ষের মধ্যে সরাসরি আলোচনা",
        "tr": "Taraflar arasında doğrudan diyalog",
        "zh": "双方直接对话",
    },
    "information": {
        "nl": "Het verzoek om informatie beantwoorden",
        "bn": "তথ্যের অনুরোধের উত্তর দেওয়া",
        "tr": "Bilgi talebinin yanıtlanması",
        "zh": "答复信息请求",
    },
    "due_diligence": {
        "nl": "Gepaste zorgvuldigheid en herstel",
        "bn": "যথাযথ যাচাই ও প্রতিকার",
        "tr": "Özen yükümlülüğü incelemesi ve zararın giderilmesi",
        "zh": "尽职调查和补救",
    },
    "next_step": {
        "nl": "Volgende stap",
        "bn": "পরের ধাপ",
        "tr": "Sonraki adım",
        "zh": "下一步",
    },
    "extension_answer": {
        "nl": "Het verzoek om meer tijd beantwoorden",
        "bn": "আরও সময়ের অনুরোধের উত্তর দেওয়া",
        "tr": "Ek süre talebinin yanıtlanması",
        "zh": "答复延期请求",
    },
    "request_answer": {
        "nl": "Het verzoek van de klager beantwoorden",
        "bn": "অভিযোগকারীর অনুরোধের উত্তর দেওয়া",
        "tr": "Şikâyetçinin talebinin yanıtlanması",
        "zh": "答复投诉人的请求",
    },
}
# Other fixed labels the engine gives a deadline (``domain.signals``, ``domain.next_steps``).
LABEL_PHRASES: dict[str, dict[str, str]] = {
    "Pass the signal on to the companies": {
        "nl": "Het signaal doorsturen aan de bedrijven",
        "bn": "সতর্ক রিপোর্টটি কোম্পানিগুলোর কাছে পাঠানো",
        "tr": "Bildirimin şirketlere iletilmesi",
        "zh": "将举报转交给各公司",
    },
    "Offer mediation or send the case to a hearing": {
        "nl": "Bemiddeling aanbieden of de zaak naar een hoorzitting sturen",
        "bn": "মধ্যস্থতার প্রস্তাব দেওয়া বা কেসটি শুনানিতে পাঠানো",
        "tr": "Arabuluculuk önerilmesi ya da dosyanın duruşmaya gönderilmesi",
        "zh": "提议调解或将案件提交听证",
    },
    "Approve or reject the remediation plan": {
        "nl": "Het herstelplan goedkeuren of afwijzen",
        "bn": "প্রতিকার পরিকল্পনা অনুমোদন বা প্রত্যাখ্যান করা",
        "tr": "Zararın giderilmesi planının onaylanması ya da reddedilmesi",
        "zh": "批准或驳回补救计划",
    },
    "Close the case": {
        "nl": "De zaak afsluiten",
        "bn": "কেসটি বন্ধ করা",
        "tr": "Dosyanın kapatılması",
        "zh": "结案",
    },
    "Close the signal or turn it into a complaint": {
        "nl": "Het signaal afsluiten of omzetten in een klacht",
        "bn": "সতর্ক রিপোর্টটি বন্ধ করা বা অভিযোগে রূপান্তর করা",
        "tr": "Bildirimin kapatılması ya da şikâyete dönüştürülmesi",
        "zh": "关闭举报或将其转为投诉",
    },
}
# Labels around a company's name or an order's text: the English form, then the words.
PATTERN_PHRASES: tuple[tuple[re.Pattern[str], dict[str, str]], ...] = (
    (
        re.compile(r"Response of (?P<name>.+)", re.S),
        {
            "nl": "Reactie van {name}",
            "bn": "{name}-এর জবাব",
            "tr": "{name} şirketinin yanıtı",
            "zh": "{name}的答复",
        },
    ),
    (
        re.compile(r"Due diligence and remediation by (?P<name>.+)", re.S),
        {
            "nl": "Gepaste zorgvuldigheid en herstel door {name}",
            "bn": "{name}-এর যথাযথ যাচাই ও প্রতিকার",
            "tr": "{name} tarafından özen yükümlülüğü incelemesi ve zararın giderilmesi",
            "zh": "{name}的尽职调查和补救",
        },
    ),
    (
        re.compile(r"Order (?P<number>\d+): (?P<text>.*)", re.S),
        {
            "nl": "Opdracht {number}: {text}",
            "bn": "নির্দেশ {number}: {text}",
            "tr": "Talimat {number}: {text}",
            "zh": "第{number}项指令：{text}",
        },
    ),
)
_BY_ENGLISH = {english: name for name, english in DEADLINES.items()}


def deadline_phrase(label: str, language: str) -> str:
    """A deadline label the engine writes, in ``language``; any other label as it is."""
    name = _BY_ENGLISH.get(label)
    if name is not None:
        return DEADLINE_PHRASES[name].get(language, label)
    if label in LABEL_PHRASES:
        return LABEL_PHRASES[label].get(language, label)
    for english, words in PATTERN_PHRASES:
        found = english.fullmatch(label)
        if found is not None and language in words:
            values = found.groupdict()
            if "number" in values:
                values["number"] = format_number(int(values["number"]), language)
            return words[language].format(**values)
    return label
