"""What happened on a case, as the complainant's status e-mail lists it, per language (pure).

Each event a complainant may see is one line: its date in words (Babel, the reader's
locale) and the public pages' word for its type (``api/templates/public/words.html``'s
``event`` macro, as translated in ``api/locale/*/LC_MESSAGES/public.po``). The words are
kept here in the five e-mail languages because notifications/ reads no page templates nor
catalogs; tests/notifications/test_event_words.py holds them equal to the public pages'.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from notifications.dates import FALLBACK_LANGUAGE, LANGUAGES, format_date, normalise


class Happened(BaseModel):
    """One event of the case as the status e-mail lists it (from the read model)."""

    at: datetime
    type: str
    summary: str


# By event type, then language: the public pages' words.
EVENT_WORDS: dict[str, dict[str, str]] = {
    "complainant_withdrawn": {
        "en": "A complainant withdrew",
        "nl": "Een klager heeft zich teruggetrokken",
        "bn": "একজন অভিযোগকারী সরে গেছেন",
        "tr": "Bir şikâyetçi çekildi",
        "zh": "一名投诉人已退出",
    },
    "contact_erased": {
        "en": "Contact details erased",
        "nl": "Contactgegevens gewist",
        "bn": "যোগাযোগের তথ্য মুছে ফেলা হয়েছে",
        "tr": "İletişim bilgileri silindi",
        "zh": "联系方式已删除",
    },
    "documents_deleted": {
        "en": "Documents deleted",
        "nl": "Documenten verwijderd",
        "bn": "নথি মুছে ফেলা হয়েছে",
        "tr": "Belgeler silindi",
        "zh": "文件已删除",
    },
    "closed": {
        "en": "Case closed",
        "nl": "Zaak gesloten",
        "bn": "কেস বন্ধ হয়েছে",
        "tr": "Dava kapandı",
        "zh": "案件已结案",
    },
    "converted_to_complaint": {
        "en": "Turned into a formal complaint",
        "nl": "Omgezet in een formele klacht",
        "bn": "আনুষ্ঠানিক অভিযোগে পরিণত হয়েছে",
        "tr": "Resmî şikâyete dönüştürüldü",
        "zh": "已转为正式投诉",
    },
    "deadline_extended": {
        "en": "A time limit was extended",
        "nl": "Een termijn is verlengd",
        "bn": "একটি সময়সীমা বাড়ানো হয়েছে",
        "tr": "Bir süre uzatıldı",
        "zh": "一项期限已延长",
    },
    "deadline_missed": {
        "en": "A time limit was missed",
        "nl": "Een termijn is niet gehaald",
        "bn": "একটি সময়সীমা পার হয়ে গেছে",
        "tr": "Bir süre kaçırıldı",
        "zh": "一项期限已错过",
    },
    "decision_issued": {
        "en": "Decision given",
        "nl": "Uitspraak gedaan",
        "bn": "সিদ্ধান্ত দেওয়া হয়েছে",
        "tr": "Karar verildi",
        "zh": "已作出裁决",
    },
    "dialogue_ended": {
        "en": "The dialogue ended",
        "nl": "De dialoog is beëindigd",
        "bn": "আলোচনা শেষ হয়েছে",
        "tr": "Diyalog sona erdi",
        "zh": "对话已结束",
    },
    "dialogue_lapsed": {
        "en": "The dialogue period ended",
        "nl": "De dialoogperiode is afgelopen",
        "bn": "আলোচনার সময় শেষ হয়েছে",
        "tr": "Diyalog süresi sona erdi",
        "zh": "对话期已结束",
    },
    "document_added": {
        "en": "Document added",
        "nl": "Document toegevoegd",
        "bn": "নথি যোগ হয়েছে",
        "tr": "Belge eklendi",
        "zh": "已添加文件",
    },
    "due_diligence_reported": {
        "en": "A company said what it did about the report",
        "nl": "Een bedrijf heeft laten weten wat het met de melding heeft gedaan",
        "bn": "একটি কোম্পানি জানিয়েছে রিপোর্টটি নিয়ে তারা কী করেছে",
        "tr": "Bir şirket bildirim hakkında ne yaptığını açıkladı",
        "zh": "一家公司已说明就该举报采取的措施",
    },
    "extension_granted": {
        "en": "More time granted",
        "nl": "Meer tijd toegestaan",
        "bn": "আরও সময় মঞ্জুর হয়েছে",
        "tr": "Ek süre verildi",
        "zh": "延期已批准",
    },
    "extension_refused": {
        "en": "More time refused",
        "nl": "Meer tijd geweigerd",
        "bn": "আরও সময় প্রত্যাখ্যাত হয়েছে",
        "tr": "Ek süre reddedildi",
        "zh": "延期被拒绝",
    },
    "extension_requested": {
        "en": "More time asked for",
        "nl": "Meer tijd gevraagd",
        "bn": "আরও সময় চাওয়া হয়েছে",
        "tr": "Ek süre istendi",
        "zh": "已申请延期",
    },
    "filed": {
        "en": "Complaint received",
        "nl": "Klacht ontvangen",
        "bn": "অভিযোগ পাওয়া গেছে",
        "tr": "Şikâyet alındı",
        "zh": "投诉已收到",
    },
    "follow_up_requested": {
        "en": "Follow-up asked for",
        "nl": "Stand van zaken gevraagd",
        "bn": "অগ্রগতির খবর চাওয়া হয়েছে",
        "tr": "Gelişmeler hakkında bilgi istendi",
        "zh": "已要求了解后续进展",
    },
    "hearing_held": {
        "en": "Hearing held",
        "nl": "Hoorzitting gehouden",
        "bn": "শুনানি হয়েছে",
        "tr": "Duruşma yapıldı",
        "zh": "已举行听证",
    },
    "hearing_scheduled": {
        "en": "Hearing planned",
        "nl": "Hoorzitting gepland",
        "bn": "শুনানির তারিখ ঠিক হয়েছে",
        "tr": "Duruşma planlandı",
        "zh": "已安排听证",
    },
    "information_provided": {
        "en": "Requested information given",
        "nl": "Gevraagde informatie gegeven",
        "bn": "চাওয়া তথ্য দেওয়া হয়েছে",
        "tr": "İstenen bilgi verildi",
        "zh": "已提供所要求的信息",
    },
    "mediation_agreement": {
        "en": "Agreement reached in mediation",
        "nl": "Overeenstemming bereikt in de bemiddeling",
        "bn": "মধ্যস্থতায় সমঝোতা হয়েছে",
        "tr": "Arabuluculukta anlaşmaya varıldı",
        "zh": "调解达成协议",
    },
    "mediation_consent": {
        "en": "One side agreed to mediation",
        "nl": "Eén kant heeft ingestemd met bemiddeling",
        "bn": "এক পক্ষ মধ্যস্থতায় রাজি হয়েছে",
        "tr": "Taraflardan biri arabuluculuğu kabul etti",
        "zh": "一方同意调解",
    },
    "mediation_declined": {
        "en": "Mediation was declined",
        "nl": "Bemiddeling is afgewezen",
        "bn": "মধ্যস্থতা প্রত্যাখ্যান করা হয়েছে",
        "tr": "Arabuluculuk reddedildi",
        "zh": "调解被拒绝",
    },
    "mediation_failed": {
        "en": "Mediation ended without agreement",
        "nl": "Bemiddeling beëindigd zonder overeenstemming",
        "bn": "সমঝোতা ছাড়াই মধ্যস্থতা শেষ হয়েছে",
        "tr": "Arabuluculuk anlaşma olmadan sona erdi",
        "zh": "调解结束，未达成协议",
    },
    "mediation_started": {
        "en": "Mediation started",
        "nl": "Bemiddeling begonnen",
        "bn": "মধ্যস্থতা শুরু হয়েছে",
        "tr": "Arabuluculuk başladı",
        "zh": "调解已开始",
    },
    "meeting_requested": {
        "en": "Meeting asked for",
        "nl": "Gesprek gevraagd",
        "bn": "বৈঠক চাওয়া হয়েছে",
        "tr": "Görüşme istendi",
        "zh": "已要求会面",
    },
    "merged_from": {
        "en": "Another case merged into this one",
        "nl": "Een andere zaak is met deze samengevoegd",
        "bn": "অন্য একটি কেস এই কেসের সঙ্গে একীভূত হয়েছে",
        "tr": "Başka bir dosya bu dosyayla birleştirildi",
        "zh": "另一案件已并入本案",
    },
    "merged_into": {
        "en": "Merged into another case",
        "nl": "Samengevoegd met een andere zaak",
        "bn": "অন্য একটি কেসের সঙ্গে একীভূত",
        "tr": "Başka bir dosyayla birleştirildi",
        "zh": "已并入另一案件",
    },
    "message": {"en": "Message", "nl": "Bericht", "bn": "বার্তা", "tr": "Mesaj", "zh": "消息"},
    "non_compliance_found": {
        "en": "Finding of non-compliance",
        "nl": "Vaststelling van niet-naleving",
        "bn": "অ-সম্মতির সিদ্ধান্ত",
        "tr": "Uyumsuzluk tespiti",
        "zh": "未履行认定",
    },
    "order_verified": {
        "en": "A remediation order was checked and met",
        "nl": "Een herstelopdracht is gecontroleerd en uitgevoerd",
        "bn": "একটি প্রতিকার আদেশ যাচাই করা হয়েছে এবং পূরণ হয়েছে",
        "tr": "Bir giderim kararı kontrol edildi ve yerine getirildi",
        "zh": "一项补救命令已核实完成",
    },
    "orders_complied": {
        "en": "All remediation orders have been met",
        "nl": "Alle herstelopdrachten zijn uitgevoerd",
        "bn": "সব প্রতিকার আদেশ পূরণ হয়েছে",
        "tr": "Tüm giderim kararları yerine getirildi",
        "zh": "所有补救命令均已完成",
    },
    "plan_approved": {
        "en": "The remediation plan was approved",
        "nl": "Het herstelplan is goedgekeurd",
        "bn": "প্রতিকার পরিকল্পনা অনুমোদিত হয়েছে",
        "tr": "Giderim planı onaylandı",
        "zh": "补救计划已获批准",
    },
    "plan_rejected": {
        "en": "The remediation plan was rejected",
        "nl": "Het herstelplan is afgewezen",
        "bn": "প্রতিকার পরিকল্পনা বাতিল হয়েছে",
        "tr": "Giderim planı reddedildi",
        "zh": "补救计划被驳回",
    },
    "plan_submitted": {
        "en": "The company handed in a remediation plan",
        "nl": "Het bedrijf heeft een herstelplan ingeleverd",
        "bn": "কোম্পানি একটি প্রতিকার পরিকল্পনা জমা দিয়েছে",
        "tr": "Şirket bir giderim planı sundu",
        "zh": "公司已提交补救计划",
    },
    "progress_report_rejected": {
        "en": "Progress report rejected",
        "nl": "Voortgangsrapport afgewezen",
        "bn": "অগ্রগতি প্রতিবেদন প্রত্যাখ্যাত",
        "tr": "İlerleme raporu reddedildi",
        "zh": "进展报告被退回",
    },
    "progress_reported": {
        "en": "The company reported on its progress",
        "nl": "Het bedrijf heeft over de voortgang gerapporteerd",
        "bn": "কোম্পানি তার অগ্রগতি জানিয়েছে",
        "tr": "Şirket ilerlemesini raporladı",
        "zh": "公司已报告进展",
    },
    "reopened": {
        "en": "Reopened",
        "nl": "Heropend",
        "bn": "পুনরায় চালু করা হয়েছে",
        "tr": "Yeniden açıldı",
        "zh": "已重新开启",
    },
    "request_answered": {
        "en": "Request answered",
        "nl": "Verzoek beantwoord",
        "bn": "অনুরোধের উত্তর দেওয়া হয়েছে",
        "tr": "Talep yanıtlandı",
        "zh": "请求已答复",
    },
    "response_submitted": {
        "en": "The company answered the complaint",
        "nl": "Het bedrijf heeft op de klacht gereageerd",
        "bn": "কোম্পানি অভিযোগের জবাব দিয়েছে",
        "tr": "Şirket şikâyete yanıt verdi",
        "zh": "公司已答复投诉",
    },
    "resumed": {
        "en": "The clock runs again",
        "nl": "De klok loopt weer",
        "bn": "আবার সময় গোনা শুরু হয়েছে",
        "tr": "Süre yeniden işliyor",
        "zh": "计时重新开始",
    },
    "second_escalation": {
        "en": "A time limit is still missed; the steering group has been told",
        "nl": "Een termijn is nog steeds niet gehaald; de stuurgroep is ingelicht",
        "bn": "একটি সময়সীমা এখনও পার হয়ে আছে; পরিচালনা কমিটিকে জানানো হয়েছে",
        "tr": "Bir süre hâlâ kaçırılmış durumda; yönlendirme grubu bilgilendirildi",
        "zh": "一项期限仍未遵守；已通知指导小组",
    },
    "sent_to_hearing": {
        "en": "The case was sent to a hearing",
        "nl": "De zaak is naar een hoorzitting verwezen",
        "bn": "কেসটি শুনানিতে পাঠানো হয়েছে",
        "tr": "Dava duruşmaya gönderildi",
        "zh": "案件已移交听证",
    },
    "signal_forwarded": {
        "en": "Passed on to the companies",
        "nl": "Doorgegeven aan de bedrijven",
        "bn": "কোম্পানিগুলোর কাছে পাঠানো হয়েছে",
        "tr": "Şirketlere iletildi",
        "zh": "已转交给相关公司",
    },
    "split": {
        "en": "Part of the complaint continues as a case of its own",
        "nl": "Een deel van de klacht gaat verder als aparte zaak",
        "bn": "অভিযোগের একটি অংশ আলাদা কেস হিসেবে চলছে",
        "tr": "Şikâyetin bir kısmı ayrı bir dava olarak devam ediyor",
        "zh": "投诉的一部分作为单独的案件继续处理",
    },
    "stage_changed": {
        "en": "Moved to the next step",
        "nl": "Naar de volgende stap",
        "bn": "পরের ধাপে গেছে",
        "tr": "Bir sonraki adıma geçildi",
        "zh": "进入下一步",
    },
    "suspended": {
        "en": "Paused: the clock is stopped",
        "nl": "Gepauzeerd: de klok staat stil",
        "bn": "বিরতি: সময় গোনা বন্ধ",
        "tr": "Durduruldu: süre işlemiyor",
        "zh": "已暂停：计时停止",
    },
}
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


def _language(language: str) -> str:
    lang = normalise(language)
    return lang if lang in LANGUAGES else FALLBACK_LANGUAGE


def event_word(happened: Happened, language: str) -> str:
    """The public pages' word for the event in ``language``."""
    lang = _language(language)
    if happened.type == "stage_changed" and happened.summary in STAGE_WORDS:
        return STAGE_WORDS[happened.summary][lang]
    if happened.type == "filed" and happened.summary == "Signal received":
        return SIGNAL_RECEIVED[lang]
    if happened.type == "document_added" and ": " in happened.summary:
        return DOCUMENT_ADDED[lang].format(name=happened.summary.split(": ", 1)[1])
    words = EVENT_WORDS.get(happened.type)
    return words[lang] if words else SOMETHING_RECORDED[lang]


def event_line(happened: Happened, language: str, timezone: str) -> str:
    """The event as one line of the e-mail: its date in words, then its word."""
    return f"{format_date(happened.at, language, timezone)} — {event_word(happened, language)}"
