"""The public pages' words for a move to another stage, and for the events whose word
depends on their summary, in the five e-mail languages (data; see
``notifications.event_word_tables``).
"""

from __future__ import annotations

# A stage entered, by the summary the engine records for it (the public pages say more).
STAGE_WORDS: dict[str, dict[str, str]] = {
    "Screening by the secretariat": {
        "en": "The secretariat is checking the complaint",
        "nl": "Het secretariaat controleert de klacht",
        "bn": "সচিবালয় অভিযোগটি যাচাই করছে",
        "tr": "Sekretarya şikâyeti kontrol ediyor",
        "zh": "秘书处正在检查投诉",
    },
    "Registered; the committee examines admissibility": {
        "en": "Registered; the committee examines whether it can deal with the complaint",
        "nl": "Geregistreerd; de commissie bekijkt of zij de klacht kan behandelen",
        "bn": "নথিভুক্ত হয়েছে; কমিটি দেখছে অভিযোগটি তারা নিতে পারবে কিনা",
        "tr": "Kaydedildi; komite şikâyeti ele alıp alamayacağını inceliyor",
        "zh": "已登记；委员会正在审查能否受理投诉",
    },
    "Declared admissible; the company is to respond": {
        "en": "Admissible; the company is asked to respond",
        "nl": "Ontvankelijk; het bedrijf wordt gevraagd te reageren",
        "bn": "গ্রহণযোগ্য; কোম্পানিকে জবাব দিতে বলা হয়েছে",
        "tr": "Kabul edilebilir; şirketten yanıt vermesi istendi",
        "zh": "已受理；已要求公司答复",
    },
    "Mediation proposed; both parties are asked to consent": {
        "en": "Mediation offered; both sides are asked to agree",
        "nl": "Bemiddeling aangeboden; beide kanten wordt om instemming gevraagd",
        "bn": "মধ্যস্থতার প্রস্তাব; দুই পক্ষের সম্মতি চাওয়া হয়েছে",
        "tr": "Arabuluculuk önerildi; iki taraftan da onay istendi",
        "zh": "已提出调解；正在征求双方同意",
    },
    "Hearing held; the decision is being prepared": {
        "en": "Hearing held; the decision is being written",
        "nl": "Hoorzitting gehouden; de uitspraak wordt geschreven",
        "bn": "শুনানি হয়েছে; সিদ্ধান্ত লেখা হচ্ছে",
        "tr": "Duruşma yapıldı; karar yazılıyor",
        "zh": "已举行听证；正在撰写裁决",
    },
    "Remediation: the company is to submit a plan": {
        "en": "Remediation: the company must hand in a plan",
        "nl": "Herstel: het bedrijf moet een plan inleveren",
        "bn": "প্রতিকার: কোম্পানিকে একটি পরিকল্পনা জমা দিতে হবে",
        "tr": "Giderim: şirket bir plan sunmalı",
        "zh": "补救：公司必须提交计划",
    },
    "Direct dialogue between the parties": {
        "en": "Direct dialogue between the parties",
        "nl": "Directe dialoog tussen de partijen",
        "bn": "দুই পক্ষের মধ্যে সরাসরি আলোচনা",
        "tr": "Taraflar arasında doğrudan diyalog",
        "zh": "双方直接对话",
    },
    "Signal: the secretariat passes it on to the companies": {
        "en": "The secretariat passes the report on to the companies",
        "nl": "Het secretariaat geeft de melding door aan de bedrijven",
        "bn": "সচিবালয় রিপোর্টটি কোম্পানিগুলোর কাছে পাঠাচ্ছে",
        "tr": "Sekretarya bildirimi şirketlere iletiyor",
        "zh": "秘书处把举报转交给相关公司",
    },
}
# A filing that is a signal rather than a complaint, and a document with its name.
SIGNAL_RECEIVED: dict[str, str] = {
    "en": "Report received",
    "nl": "Melding ontvangen",
    "bn": "রিপোর্ট পাওয়া গেছে",
    "tr": "Bildirim alındı",
    "zh": "举报已收到",
}
DOCUMENT_ADDED: dict[str, str] = {
    "en": "Document added: {name}",
    "nl": "Document toegevoegd: {name}",
    "bn": "নথি যোগ হয়েছে: {name}",
    "tr": "Belge eklendi: {name}",
    "zh": "已添加文件：{name}",
}
# An event type the public pages have no word for (none the complainant sees, as tested).
SOMETHING_RECORDED: dict[str, str] = {
    "en": "Something was recorded on the case",
    "nl": "Er is iets vastgelegd in de zaak",
    "bn": "কেসে একটি বিষয় লিপিবদ্ধ হয়েছে",
    "tr": "Dosyaya bir kayıt eklendi",
    "zh": "案件中记录了一项内容",
}
