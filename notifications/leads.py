"""The engine's own lead sentences, written in the e-mail's language (pure).

A transition may put a short English lead before the text an e-mail quotes ("The case has
resumed.", "Decision: founded."; ``domain.transitions``). An e-mail in another language
shows the lead in its own words, its values (dates, numbers, deadlines) formatted for that
language. A first paragraph that is not one of these leads is left exactly as written.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from notifications.dates import format_day, format_due, format_number
from notifications.phrases import deadline_phrase

FINDING_WORDS: dict[str, dict[str, str]] = {
    "founded": {
        "nl": "gegrond",
        "bn": "অভিযোগ প্রমাণিত",
        "tr": "şikâyet yerinde",
        "zh": "投诉成立",
    },
    "partly founded": {
        "nl": "gedeeltelijk gegrond",
        "bn": "অভিযোগ আংশিক প্রমাণিত",
        "tr": "şikâyet kısmen yerinde",
        "zh": "投诉部分成立",
    },
    "unfounded": {
        "nl": "ongegrond",
        "bn": "অভিযোগ প্রমাণিত নয়",
        "tr": "şikâyet yerinde değil",
        "zh": "投诉不成立",
    },
}


@dataclass(frozen=True)
class Lead:
    """One lead the engine writes: its English form, and its words per other language."""

    english: re.Pattern[str]
    words: dict[str, str]


def _lead(pattern: str, **words: str) -> Lead:
    return Lead(re.compile(pattern), words)


LEADS: tuple[Lead, ...] = (
    _lead(
        r"The requested information was provided\.",
        nl="De gevraagde informatie is verstrekt.",
        bn="চাওয়া তথ্য দেওয়া হয়েছে।",
        tr="İstenen bilgi sağlandı.",
        zh="所要求的信息已提供。",
    ),
    _lead(
        r"The case is suspended:",
        nl="De zaak is opgeschort:",
        bn="কেসটি স্থগিত করা হয়েছে:",
        tr="Dosya askıya alındı:",
        zh="本案已暂停：",
    ),
    _lead(
        r"The case has resumed\.",
        nl="De behandeling van de zaak is hervat.",
        bn="কেসটি আবার চালু হয়েছে।",
        tr="Dosyada işlemler yeniden başladı.",
        zh="本案已恢复处理。",
    ),
    _lead(
        r"(?P<label>.+): extended to (?P<day>\d{4}-\d{2}-\d{2})\.",
        nl="{label}: verlengd tot {day}.",
        bn="{label}: সময়সীমা {day} পর্যন্ত বাড়ানো হয়েছে।",
        tr="{label}: süre {day} tarihine kadar uzatıldı.",
        zh="{label}：期限已延长至{day}。",
    ),
    _lead(
        r"(?P<label>.+): more time is asked, until (?P<day>\d{4}-\d{2}-\d{2})\.",
        nl="{label}: er wordt meer tijd gevraagd, tot {day}.",
        bn="{label}: {day} পর্যন্ত আরও সময় চাওয়া হয়েছে।",
        tr="{label}: {day} tarihine kadar ek süre isteniyor.",
        zh="{label}：申请延期至{day}。",
    ),
    _lead(
        r"(?P<label>.+): the extension asked for was refused\.",
        nl="{label}: het verzoek om meer tijd is afgewezen.",
        bn="{label}: আরও সময়ের অনুরোধ প্রত্যাখ্যান করা হয়েছে।",
        tr="{label}: ek süre talebi reddedildi.",
        zh="{label}：延期请求被拒绝。",
    ),
    _lead(
        r"The complainant asks for follow-up:",
        nl="De klager vraagt om een stand van zaken:",
        bn="অভিযোগকারী অগ্রগতির খবর জানতে চেয়েছেন:",
        tr="Şikâyetçi gelişmeler hakkında bilgi istiyor:",
        zh="投诉人要求了解后续进展：",
    ),
    _lead(
        r"The complainant asks for a meeting with the company's representatives:",
        nl="De klager vraagt om een gesprek met vertegenwoordigers van het bedrijf:",
        bn="অভিযোগকারী কোম্পানির প্রতিনিধিদের সঙ্গে একটি বৈঠক চেয়েছেন:",
        tr="Şikâyetçi, şirketin temsilcileriyle bir görüşme istiyor:",
        zh="投诉人要求与公司代表会面：",
    ),
    _lead(
        r"The complainant asks for a meeting with your company's representatives\. "
        r"The secretariat will be in touch to arrange it\.",
        nl="De klager vraagt om een gesprek met vertegenwoordigers van uw bedrijf. Het "
        "secretariaat neemt contact met u op om het te regelen.",
        bn="অভিযোগকারী আপনার কোম্পানির প্রতিনিধিদের সঙ্গে একটি বৈঠক চেয়েছেন। সচিবালয় "
        "এর ব্যবস্থা করতে আপনার সঙ্গে যোগাযোগ করবে।",
        tr="Şikâyetçi, şirketinizin temsilcileriyle bir görüşme istiyor. Sekretarya bunu "
        "ayarlamak için sizinle iletişime geçecek.",
        zh="投诉人要求与贵公司代表会面。秘书处将与您联系安排。",
    ),
    _lead(
        r"The secretariat answers your request for follow-up:",
        nl="Het secretariaat beantwoordt uw vraag om een stand van zaken:",
        bn="অগ্রগতির খবর জানতে চাওয়া আপনার অনুরোধের উত্তর দিয়েছে সচিবালয়:",
        tr="Sekretarya, gelişmeler hakkındaki bilgi talebinizi yanıtlıyor:",
        zh="秘书处答复您了解后续进展的请求：",
    ),
    _lead(
        r"The secretariat answers your request for a meeting with the company's "
        r"representatives:",
        nl="Het secretariaat beantwoordt uw verzoek om een gesprek met vertegenwoordigers van "
        "het bedrijf:",
        bn="কোম্পানির প্রতিনিধিদের সঙ্গে বৈঠকের জন্য আপনার অনুরোধের উত্তর দিয়েছে সচিবালয়:",
        tr="Sekretarya, şirketin temsilcileriyle görüşme talebinizi yanıtlıyor:",
        zh="秘书处答复您与公司代表会面的请求：",
    ),
    _lead(
        r"(?P<label>.+): the deadline has passed\. Please act as soon as possible\.",
        nl="{label}: de termijn is verstreken. Onderneem zo snel mogelijk actie.",
        bn="{label}: সময়সীমা পার হয়ে গেছে। অনুগ্রহ করে যত দ্রুত সম্ভব পদক্ষেপ নিন।",
        tr="{label}: süre doldu. Lütfen en kısa sürede harekete geçin.",
        zh="{label}：期限已过。请尽快采取行动。",
    ),
    _lead(
        r"You have been assigned as mediator of this case\.",
        nl="U bent aangewezen als bemiddelaar in deze zaak.",
        bn="আপনাকে এই কেসের মধ্যস্থতাকারী হিসেবে নিয়োগ দেওয়া হয়েছে।",
        tr="Bu dosyada arabulucu olarak görevlendirildiniz.",
        zh="您已被指定为本案的调解员。",
    ),
    _lead(
        r"Hearing: (?P<moment>\d{4}-\d{2}-\d{2}T\S+)",
        nl="Hoorzitting: {moment}",
        bn="শুনানি: {moment}",
        tr="Duruşma: {moment}",
        zh="听证：{moment}",
    ),
    _lead(
        r"Decision: (?P<finding>founded|partly founded|unfounded)\.",
        nl="Uitspraak: {finding}.",
        bn="সিদ্ধান্ত: {finding}।",
        tr="Karar: {finding}.",
        zh="裁决：{finding}。",
    ),
    _lead(
        r"Both parties consented: mediation has started\.",
        nl="Beide partijen hebben ingestemd: de bemiddeling is begonnen.",
        bn="দুই পক্ষই সম্মতি দিয়েছে: মধ্যস্থতা শুরু হয়েছে।",
        tr="Her iki taraf da onay verdi: arabuluculuk başladı.",
        zh="双方均已同意：调解已经开始。",
    ),
    _lead(
        r"The company submitted a remediation plan for review\.",
        nl="Het bedrijf heeft een herstelplan ter beoordeling ingediend.",
        bn="কোম্পানি পর্যালোচনার জন্য একটি প্রতিকার পরিকল্পনা জমা দিয়েছে।",
        tr="Şirket, incelenmek üzere bir zararın giderilmesi planı sundu.",
        zh="公司已提交补救计划供审核。",
    ),
    _lead(
        r"Progress report on order (?P<number>\d+)\.",
        nl="Voortgangsverslag over opdracht {number}.",
        bn="নির্দেশ {number}-এর অগ্রগতি প্রতিবেদন।",
        tr="{number} numaralı talimata ilişkin ilerleme raporu.",
        zh="关于第{number}项指令的进展报告。",
    ),
    _lead(
        r"Order (?P<number>\d+) has been verified as complied with\.",
        nl="Vastgesteld is dat opdracht {number} is nagekomen.",
        bn="নির্দেশ {number} পালন করা হয়েছে বলে যাচাই করা হয়েছে।",
        tr="{number} numaralı talimatın yerine getirildiği doğrulandı.",
        zh="第{number}项指令已核实为已履行。",
    ),
    _lead(
        r"Your report was passed on to the company that sources from the location, "
        r"with a request for due diligence and remediation\.",
        nl="Uw melding is doorgestuurd aan het bedrijf dat bij de locatie inkoopt, met een "
        "verzoek om gepaste zorgvuldigheid en herstel.",
        bn="আপনার রিপোর্টটি এই উৎপাদনস্থল থেকে পণ্য কেনা কোম্পানির কাছে পাঠানো হয়েছে, "
        "যথাযথ যাচাই ও প্রতিকারের অনুরোধসহ।",
        tr="Bildiriminiz, üretim yerinden alım yapan şirkete özen yükümlülüğü incelemesi ve "
        "zararın giderilmesi talebiyle iletildi.",
        zh="您的举报已转交给从该生产地点采购的公司，并要求其开展尽职调查和补救。",
    ),
    _lead(
        r"Your report was passed on to the (?P<number>\d+) companies that source from the "
        r"location, with a request for due diligence and remediation\.",
        nl="Uw melding is doorgestuurd aan de {number} bedrijven die bij de locatie inkopen, "
        "met een verzoek om gepaste zorgvuldigheid en herstel.",
        bn="আপনার রিপোর্টটি এই উৎপাদনস্থল থেকে পণ্য কেনা {number}টি কোম্পানির কাছে পাঠানো "
        "হয়েছে, যথাযথ যাচাই ও প্রতিকারের অনুরোধসহ।",
        tr="Bildiriminiz, üretim yerinden alım yapan {number} şirkete özen yükümlülüğü "
        "incelemesi ve zararın giderilmesi talebiyle iletildi.",
        zh="您的举报已转交给从该生产地点采购的{number}家公司，并要求它们开展尽职调查和补救。",
    ),
    _lead(
        r"Your report is now handled as a formal complaint\.",
        nl="Uw melding wordt nu behandeld als formele klacht.",
        bn="আপনার রিপোর্টটি এখন আনুষ্ঠানিক অভিযোগ হিসেবে বিবেচনা করা হচ্ছে।",
        tr="Bildiriminiz artık resmî bir şikâyet olarak ele alınıyor.",
        zh="您的举报现已作为正式投诉处理。",
    ),
    _lead(
        r"The signal passed on to your company is now handled as a formal complaint "
        r"\(same reference\)\. The committee will tell you what is asked of you and by when\.",
        nl="Het signaal dat aan uw bedrijf is doorgestuurd, wordt nu behandeld als formele "
        "klacht (zelfde kenmerk). De commissie laat u weten wat er van u wordt gevraagd en "
        "vóór wanneer.",
        bn="আপনার কোম্পানির কাছে পাঠানো সতর্ক রিপোর্টটি এখন আনুষ্ঠানিক অভিযোগ হিসেবে বিবেচনা "
        "করা হচ্ছে (একই কেস নম্বর)। কমিটি আপনাকে জানাবে আপনার কাছে কী চাওয়া হচ্ছে এবং কোন "
        "তারিখের মধ্যে।",
        tr="Şirketinize iletilen bildirim artık resmî bir şikâyet olarak ele alınıyor (aynı "
        "dosya numarası). Komite sizden ne istendiğini ve son tarihi size bildirecek.",
        zh="转交给贵公司的举报现已作为正式投诉处理（案件编号不变）。委员会将告知贵公司需要做什么"
        "以及截止日期。",
    ),
    _lead(
        r"(?P<name>.+) has submitted its response\.",
        nl="{name} heeft zijn reactie ingediend.",
        bn="{name} তাদের জবাব জমা দিয়েছে।",
        tr="{name} yanıtını sundu.",
        zh="{name}已提交答复。",
    ),
    _lead(
        r"(?P<name>.+) has reported on its due diligence and remediation\.",
        nl="{name} heeft verslag gedaan van zijn gepaste zorgvuldigheid en herstel.",
        bn="{name} তাদের যথাযথ যাচাই ও প্রতিকারের বিষয়ে প্রতিবেদন দিয়েছে।",
        tr="{name}, özen yükümlülüğü incelemesi ve zararın giderilmesi hakkında rapor verdi.",
        zh="{name}已报告其尽职调查和补救情况。",
    ),
    _lead(
        r"The complaint against (?P<name>.+) continues as case (?P<reference>\S+)\.",
        nl="De klacht tegen {name} wordt voortgezet als zaak {reference}.",
        bn="{name}-এর বিরুদ্ধে অভিযোগটি কেস {reference} হিসেবে চলবে।",
        tr="{name} aleyhindeki şikâyet {reference} numaralı dosya olarak devam ediyor.",
        zh="针对{name}的投诉将作为案件 {reference} 继续处理。",
    ),
    _lead(
        r"The complaint concerning (?P<name>.+) continues as case (?P<reference>\S+)\.",
        nl="De klacht over {name} wordt voortgezet als zaak {reference}.",
        bn="{name} সংক্রান্ত অভিযোগটি কেস {reference} হিসেবে চলবে।",
        tr="{name} ile ilgili şikâyet {reference} numaralı dosya olarak devam ediyor.",
        zh="涉及{name}的投诉将作为案件 {reference} 继续处理。",
    ),
    _lead(
        r"Case (?P<reference>\S+) about the same matter was merged into this case\.",
        nl="Zaak {reference} over dezelfde kwestie is samengevoegd met deze zaak.",
        bn="একই বিষয়ের কেস {reference} এই কেসের সঙ্গে একীভূত করা হয়েছে।",
        tr="Aynı konudaki {reference} numaralı dosya bu dosyayla birleştirildi.",
        zh="涉及同一事项的案件 {reference} 已并入本案。",
    ),
    _lead(
        r"A complainant withdrew from the case; it goes on for the other complainants:",
        nl="Een klager heeft zich uit de zaak teruggetrokken; de zaak gaat door voor de "
        "andere klagers:",
        bn="একজন অভিযোগকারী কেস থেকে সরে গেছেন; অন্য অভিযোগকারীদের জন্য কেসটি চলবে:",
        tr="Bir şikâyetçi dosyadan çekildi; dosya diğer şikâyetçiler için devam ediyor:",
        zh="一名投诉人已退出本案；本案将为其他投诉人继续处理：",
    ),
)


def _values(found: re.Match[str], language: str, timezone: str) -> dict[str, str]:
    """The lead's values as the language writes them; names and references as they are."""
    format_value: dict[str, Callable[[str], str]] = {
        "label": lambda v: deadline_phrase(v, language),
        "day": lambda v: format_day(date.fromisoformat(v), language),
        "moment": lambda v: format_due(datetime.fromisoformat(v), language, timezone),
        "finding": lambda v: FINDING_WORDS[v][language],
        "number": lambda v: format_number(int(v), language),
    }
    return {key: format_value.get(key, str)(value) for key, value in found.groupdict().items()}


def translate_lead(paragraph: str, language: str, timezone: str = "Europe/Amsterdam") -> str:
    """The paragraph in ``language`` when it is one of the engine's leads, else unchanged."""
    for lead in LEADS:
        words = lead.words.get(language)
        found = lead.english.fullmatch(paragraph)
        if words is not None and found is not None:
            return words.format(**_values(found, language, timezone))
    return paragraph


def translate_text(text: str, language: str, timezone: str = "Europe/Amsterdam") -> str:
    """A notice's text with its lead (the first paragraph) in ``language``; the rest as is."""
    lead, gap, rest = text.partition("\n\n")
    return translate_lead(lead, language, timezone) + gap + rest
