/*
 * notify_text.h: the words of every message, Polish first, English second.
 * Placeholders in braces are filled by notify.c: {office} {service} {when}
 * {day} {time} {desk} {reference} {code} {confirm_url} {cancel_url}
 * {ticket_url} {reschedule_url} {within_for} {within_in} (the booking's
 * hold for "w ciągu …" (genitive) and "za …" (accusative): plural.h)
 * {old_when} {code_line_pl} {code_line_en} (the access
 * code on a line of its own, or nothing before confirmation)
 * {office_lines_pl} {office_lines_en} (the office's address, opening hours
 * and phone, a line each, only those configured) {delay} {expected} (a
 * delay notice's minutes and the start it gives, HH:MM; empty elsewhere)
 * {reason_line_pl} {reason_line_en} {reason_sms} (why the office cancelled,
 * when it said so) {pending_line_pl} {pending_line_en} (a moved booking not
 * confirmed yet: TAK confirms it).
 * {until} (when a pending booking's hold ends: an offer's "do 10:15")
 * {date} (the day without the time); a waitlist entry's (notify_waitlist):
 * {position} {window} (", godz. 10:00-12:00" or nothing) {leave_url}.
 * Only notify.c includes this.
 *
 * SMS: `sms` asks for a reply only where one can come back (a numeric
 * sender and an inbound path, config_sms_two_way); `sms_oneway`, where set,
 * is sent otherwise and gives the link instead. The confirmation request
 * carries the service, the time and the confirm link in one GSM-7 segment
 * (notify.c shortens a long service name to keep it there).
 */
#ifndef WIZYTA_NOTIFY_TEXT_H
#define WIZYTA_NOTIFY_TEXT_H

#include "notify.h"

struct notify_text {
	const char *subject;	/* e-mail subject; the reference is appended */
	const char *body;	/* e-mail text part */
	const char *sms;	/* SMS text: fits one GSM-7 segment once
				   transliterated (tests check the demo's) */
	const char *sms_oneway;	/* when phones cannot answer, or NULL */
};

/* [kind][0 = pl, 1 = en] */
static const struct notify_text notify_texts[NOTIFY_KIND_COUNT][2] = {
	[NOTIFY_CONFIRM_REQUEST] = {
		{ "Potwierdź wizytę: {service}",
		  "Dzień dobry,\n\n"
		  "zarezerwowano dla Pani/Pana wizytę:\n\n"
		  "Urząd: {office}\n"
		  "Usługa: {service}\n"
		  "Termin: {when}\n"
		  "Miejsce: {desk}\n"
		  "Numer rezerwacji: {reference}\n\n"
		  "Aby potwierdzić wizytę, odpowiedz na tę wiadomość słowem TAK"
		  " albo otwórz:\n{confirm_url}\n\n"
		  "Aby zrezygnować, odpowiedz NIE albo otwórz:\n{cancel_url}\n\n"
		  "Niepotwierdzona rezerwacja wygaśnie za {within_in}.\n\n"
		  "{office}\n",
		  "Potwierdź wizytę {service} {day} {time}: odpisz TAK/NIE lub"
		  " {confirm_url}",
		  "Potwierdź lub odwołaj wizytę {service} {day} {time}:"
		  " {confirm_url}" },
		{ "Please confirm your visit: {service}",
		  "Hello,\n\n"
		  "a visit has been booked for you at {office}:\n\n"
		  "Service: {service}\n"
		  "When: {when}\n"
		  "Where: {desk}\n"
		  "Booking reference: {reference}\n\n"
		  "To confirm, reply to this message with YES (or TAK), or open:\n"
		  "{confirm_url}\n\n"
		  "To cancel, reply NO (or NIE), or open:\n{cancel_url}\n\n"
		  "An unconfirmed booking expires in {within_in}.\n\n"
		  "{office}\n",
		  "Confirm visit {service} {day} {time}: reply YES/NO or"
		  " {confirm_url}",
		  "Confirm or cancel visit {service} {day} {time}: {confirm_url}" },
	},
	[NOTIFY_ACCESS_CODE] = {
		{ "Wizyta potwierdzona, kod dostępu {code}",
		  "Dzień dobry,\n\n"
		  "Pani/Pana wizyta jest potwierdzona.\n\n"
		  "Kod dostępu: {code}\n"
		  "Usługa: {service}\n"
		  "Termin: {when}\n"
		  "Miejsce: {desk}\n"
		  "{office_lines_pl}"
		  "Numer rezerwacji: {reference}\n\n"
		  "Kod dostępu proszę podać w recepcji. Bilet wirtualny:\n"
		  "{ticket_url}\n\n"
		  "Aby odwołać wizytę, otwórz:\n{cancel_url}\n\n"
		  "W załączniku jest wydarzenie do kalendarza.\n\n"
		  "{office}\n",
		  "Wizyta potwierdzona: {day} {time}, {desk}. Kod dostępu: {code}."
		  " Nr {reference}" },
		{ "Visit confirmed, access code {code}",
		  "Hello,\n\n"
		  "your visit is confirmed.\n\n"
		  "Access code: {code}\n"
		  "Service: {service}\n"
		  "When: {when}\n"
		  "Where: {desk}\n"
		  "{office_lines_en}"
		  "Booking reference: {reference}\n\n"
		  "Show the access code at reception. Virtual ticket:\n"
		  "{ticket_url}\n\n"
		  "To cancel the visit, open:\n{cancel_url}\n\n"
		  "A calendar event is attached.\n\n"
		  "{office}\n",
		  "Visit confirmed: {day} {time}, {desk}. Access code: {code}."
		  " Ref {reference}" },
	},
	[NOTIFY_CANCELLED] = {
		{ "Wizyta odwołana",
		  "Dzień dobry,\n\n"
		  "wizyta {when} ({service}, {desk}) została odwołana.\n"
		  "{reason_line_pl}"
		  "Numer rezerwacji: {reference}\n\n"
		  "Nową wizytę można zarezerwować na stronie:\n{office_url}\n\n"
		  "{office}\n",
		  "Wizyta {day} {time} odwolana. {reason_sms}Nr {reference}" },
		{ "Visit cancelled",
		  "Hello,\n\n"
		  "the visit on {when} ({service}, {desk}) has been cancelled.\n"
		  "{reason_line_en}"
		  "Booking reference: {reference}\n\n"
		  "You can book a new visit at:\n{office_url}\n\n"
		  "{office}\n",
		  "Visit {day} {time} cancelled. {reason_sms}Ref {reference}" },
	},
	[NOTIFY_EXPIRED] = {
		{ "Rezerwacja wygasła",
		  "Dzień dobry,\n\n"
		  "rezerwacja wizyty {when} ({service}) nie została potwierdzona"
		  " w ciągu {within_for} i wygasła. Termin jest znów wolny.\n"
		  "Numer rezerwacji: {reference}\n\n"
		  "Nową wizytę można zarezerwować na stronie:\n{office_url}\n\n"
		  "{office}\n",
		  "Rezerwacja {day} {time} wygasla (brak potwierdzenia). Nr {reference}" },
		{ "Booking expired",
		  "Hello,\n\n"
		  "the booking for {when} ({service}) was not confirmed within"
		  " {within_for} and has expired. The time is free again.\n"
		  "Booking reference: {reference}\n\n"
		  "You can book a new visit at:\n{office_url}\n\n"
		  "{office}\n",
		  "Booking {day} {time} expired (not confirmed). Ref {reference}" },
	},
	[NOTIFY_RESCHEDULED] = {
		{ "Zmiana terminu wizyty",
		  "Dzień dobry,\n\n"
		  "termin Pani/Pana wizyty został zmieniony.\n\n"
		  "Nowy termin: {when}\n"
		  "Poprzedni termin: {old_when}\n"
		  "Usługa: {service}\n"
		  "Miejsce: {desk}\n"
		  "{code_line_pl}"
		  "Numer rezerwacji: {reference}\n\n"
		  "Bilet wirtualny:\n{ticket_url}\n\n"
		  "Jeśli nowy termin nie pasuje, wizytę można odwołać:\n{cancel_url}\n\n"
		  "{office}\n",
		  "Nowy termin wizyty: {day} {time}, {desk}. {code_sms}Nr {reference}" },
		{ "Your visit has been moved",
		  "Hello,\n\n"
		  "the time of your visit has changed.\n\n"
		  "New time: {when}\n"
		  "Previous time: {old_when}\n"
		  "Service: {service}\n"
		  "Where: {desk}\n"
		  "{code_line_en}"
		  "Booking reference: {reference}\n\n"
		  "Virtual ticket:\n{ticket_url}\n\n"
		  "If the new time does not suit you, cancel here:\n{cancel_url}\n\n"
		  "{office}\n",
		  "New visit time: {day} {time}, {desk}. {code_sms}Ref {reference}" },
	},
	[NOTIFY_REMINDER] = {
		{ "Przypomnienie o wizycie",
		  "Dzień dobry,\n\n"
		  "przypominamy o wizycie:\n\n"
		  "Termin: {when}\n"
		  "Usługa: {service}\n"
		  "Miejsce: {desk}\n"
		  "{office_lines_pl}"
		  "Kod dostępu: {code}\n\n"
		  "Bilet wirtualny:\n{ticket_url}\n\n"
		  "Jeśli nie może Pani/Pan przyjść, prosimy odwołać wizytę:\n"
		  "{cancel_url}\n\n"
		  "{office}\n",
		  "Przypomnienie: wizyta {day} {time}, {desk}. Kod dostepu: {code}" },
		{ "Visit reminder",
		  "Hello,\n\n"
		  "a reminder of your visit:\n\n"
		  "When: {when}\n"
		  "Service: {service}\n"
		  "Where: {desk}\n"
		  "{office_lines_en}"
		  "Access code: {code}\n\n"
		  "Virtual ticket:\n{ticket_url}\n\n"
		  "If you cannot come, please cancel:\n{cancel_url}\n\n"
		  "{office}\n",
		  "Reminder: visit {day} {time}, {desk}. Access code: {code}" },
	},
	[NOTIFY_REPLY_HELP] = {
		{ "Nie rozpoznaliśmy odpowiedzi",
		  "Dzień dobry,\n\n"
		  "nie rozpoznaliśmy odpowiedzi dotyczącej rezerwacji {reference}"
		  " ({when}).\n\n"
		  "Aby potwierdzić wizytę, odpowiedz jednym słowem: TAK.\n"
		  "Aby ją odwołać, odpowiedz: NIE.\n\n"
		  "Wiadomość przekazaliśmy też pracownikom urzędu.\n\n"
		  "{office}\n",
		  "Nie rozpoznano odpowiedzi. Odpisz TAK (potwierdzam) lub NIE"
		  " (odwoluje). Nr {reference}" },
		{ "We could not read your reply",
		  "Hello,\n\n"
		  "we could not read your reply about booking {reference}"
		  " ({when}).\n\n"
		  "To confirm the visit, reply with one word: YES.\n"
		  "To cancel it, reply: NO.\n\n"
		  "Your message has also been passed to the office staff.\n\n"
		  "{office}\n",
		  "Reply not understood. Answer YES (confirm) or NO (cancel)."
		  " Ref {reference}" },
	},
	[NOTIFY_WHICH_BOOKING] = {
		{ "Której wizyty dotyczy odpowiedź?",
		  "Dzień dobry,\n\n"
		  "na ten numer jest kilka rezerwacji. Prosimy dopisać numer"
		  " rezerwacji, np. TAK {reference}.\n\n{office}\n",
		  "Masz kilka rezerwacji. Odpisz np. TAK {reference} lub NIE {reference}" },
		{ "Which visit is your reply about?",
		  "Hello,\n\n"
		  "this number has several bookings. Please add the booking"
		  " reference, e.g. YES {reference}.\n\n{office}\n",
		  "You have several bookings. Reply e.g. YES {reference} or NO {reference}" },
	},
	[NOTIFY_RESCHEDULE_HELP] = {
		{ "Inny termin wizyty",
		  "Dzień dobry,\n\n"
		  "otrzymaliśmy prośbę o inny termin wizyty {when} ({service})."
		  " Numer rezerwacji: {reference}.\n\n"
		  "Nowy termin można wybrać tutaj:\n{reschedule_url}\n\n"
		  "Jeśli wizyta nie jest już potrzebna, odpowiedz NIE albo otwórz:\n"
		  "{cancel_url}\n\n"
		  "Wiadomość przekazaliśmy też pracownikom urzędu.\n\n"
		  "{office}\n",
		  "Inny termin wizyty wybierzesz tu: {reschedule_url} Nr {reference}" },
		{ "Another time for your visit",
		  "Hello,\n\n"
		  "we have your request for another time instead of {when}"
		  " ({service}). Booking reference: {reference}.\n\n"
		  "You can choose a new time here:\n{reschedule_url}\n\n"
		  "If you no longer need the visit, reply NO or open:\n"
		  "{cancel_url}\n\n"
		  "Your message has also been passed to the office staff.\n\n"
		  "{office}\n",
		  "Choose another time for your visit here: {reschedule_url} Ref {reference}" },
	},
	[NOTIFY_LATE_NOTED] = {
		{ "Informacja o spóźnieniu",
		  "Dzień dobry,\n\n"
		  "przekazaliśmy pracownikom urzędu, że spóźni się Pani/Pan na"
		  " wizytę {when} ({service}, {desk}). Numer rezerwacji:"
		  " {reference}.\n\n"
		  "Jeśli lepszy będzie inny termin, można go wybrać tutaj:\n"
		  "{reschedule_url}\n\n"
		  "{office}\n",
		  "Przekazalismy urzedowi, ze spozni sie Pani/Pan na wizyte {day}"
		  " {time}. Nr {reference}" },
		{ "You are running late",
		  "Hello,\n\n"
		  "we have told the office staff that you will be late for your"
		  " visit on {when} ({service}, {desk}). Booking reference:"
		  " {reference}.\n\n"
		  "If another time would suit you better, choose it here:\n"
		  "{reschedule_url}\n\n"
		  "{office}\n",
		  "We told the office you will be late for your visit {day} {time}."
		  " Ref {reference}" },
	},
	[NOTIFY_QUESTION_NOTED] = {
		{ "Przekazaliśmy pytanie",
		  "Dzień dobry,\n\n"
		  "Pani/Pana pytanie dotyczące wizyty {when} ({service}, rezerwacja"
		  " {reference}) przekazaliśmy pracownikom urzędu.\n\n"
		  "Aby potwierdzić wizytę, odpowiedz jednym słowem: TAK.\n"
		  "Aby ją odwołać, odpowiedz: NIE.\n\n"
		  "{office}\n",
		  "Pytanie przekazalismy pracownikom urzedu. Potwierdzenie: TAK,"
		  " odwolanie: NIE. Nr {reference}" },
		{ "We have passed on your question",
		  "Hello,\n\n"
		  "we have passed your question about the visit on {when}"
		  " ({service}, booking {reference}) to the office staff.\n\n"
		  "To confirm the visit, reply with one word: YES.\n"
		  "To cancel it, reply: NO.\n\n"
		  "{office}\n",
		  "Your question has been passed to the office. To confirm reply"
		  " YES, to cancel NO. Ref {reference}" },
	},
	/* the desk runs late (lib/delay.h): {delay} minutes, {expected} the
	 * start it gives; says that no reply is needed, and how to tell the
	 * desk one is late where a reply can come back */
	[NOTIFY_DELAY] = {
		{ "Wizyta zacznie się ok. {delay} min później",
		  "Dzień dobry,\n\n"
		  "wcześniejsze wizyty przy Pani/Pana stanowisku trwają dłużej,"
		  " niż planowaliśmy. Wizyta zacznie się prawdopodobnie"
		  " ok. {delay} min później.\n\n"
		  "Termin: {when}\n"
		  "Przewidywany początek: ok. {expected}\n"
		  "Usługa: {service}\n"
		  "Miejsce: {desk}\n"
		  "Kod dostępu: {code}\n\n"
		  "To szacunek: prosimy przyjść nie później niż ok. {expected}."
		  " Nie trzeba odpowiadać na tę wiadomość. Jeśli się Pani/Pan"
		  " spóźni, prosimy odpisać SPÓŹNIĘ SIĘ: przekażemy to"
		  " urzędnikowi.\n\n"
		  "Bilet wirtualny:\n{ticket_url}\n\n"
		  "{office}\n",
		  "Wizyta {day} {time} zacznie się ok. {delay} min później, ok."
		  " {expected}. Nie trzeba odpowiadać; jeśli się spóźnisz, odpisz"
		  " SPÓŹNIĘ SIĘ. Nr {reference}",
		  "Wizyta {day} {time} zacznie się ok. {delay} min później, ok."
		  " {expected}. Prosimy przyjść do tej godziny. Nr {reference}" },
		{ "Your visit will start about {delay} min late",
		  "Hello,\n\n"
		  "the visits before yours at your desk are taking longer than"
		  " planned. Your visit will probably start about {delay} min"
		  " late.\n\n"
		  "Booked time: {when}\n"
		  "Expected start: about {expected}\n"
		  "Service: {service}\n"
		  "Where: {desk}\n"
		  "Access code: {code}\n\n"
		  "This is an estimate: please come no later than about"
		  " {expected}. There is no need to reply. If you will be late,"
		  " reply LATE and we will tell the clerk.\n\n"
		  "Virtual ticket:\n{ticket_url}\n\n"
		  "{office}\n",
		  "Your visit {day} {time} will start about {delay} min late, at"
		  " about {expected}. No need to reply; if you will be late, reply"
		  " LATE. Ref {reference}",
		  "Your visit {day} {time} will start about {delay} min late, at"
		  " about {expected}. Please come by then. Ref {reference}" },
	},
	[NOTIFY_MOVED] = {
		{ "Urząd zmienił termin wizyty",
		  "Dzień dobry,\n\n"
		  "urząd zmienił termin Pani/Pana wizyty.\n\n"
		  "Nowy termin: {when}\n"
		  "Poprzedni termin: {old_when}\n"
		  "Usługa: {service}\n"
		  "Miejsce: {desk}\n"
		  "{office_lines_pl}"
		  "{code_line_pl}"
		  "Numer rezerwacji: {reference}\n\n"
		  "{pending_line_pl}"
		  "Jeśli nowy termin pasuje, odpowiedz na tę wiadomość słowem TAK.\n"
		  "Jeśli nie pasuje, odpowiedz NIE (wizyta zostanie odwołana)"
		  " albo otwórz:\n{cancel_url}\n\n"
		  "Bilet wirtualny, także do wyboru innego terminu:\n{ticket_url}\n\n"
		  "{office}\n",
		  "Urzad zmienil termin wizyty: {day} {time}, {desk}. {code_sms}"
		  "Odpisz TAK - pasuje, NIE - odwolaj. Nr {reference}",
		  "Urzad zmienil termin wizyty: {day} {time}, {desk}. {code_sms}"
		  "Odwolanie: {cancel_url}" },
		{ "The office has moved your visit",
		  "Hello,\n\n"
		  "the office has moved your visit to another time.\n\n"
		  "New time: {when}\n"
		  "Previous time: {old_when}\n"
		  "Service: {service}\n"
		  "Where: {desk}\n"
		  "{office_lines_en}"
		  "{code_line_en}"
		  "Booking reference: {reference}\n\n"
		  "{pending_line_en}"
		  "If the new time suits you, reply to this message with YES (or"
		  " TAK).\n"
		  "If it does not, reply NO (or NIE) and the visit is cancelled,"
		  " or open:\n{cancel_url}\n\n"
		  "Virtual ticket, also to choose another time:\n{ticket_url}\n\n"
		  "{office}\n",
		  "The office moved your visit: {day} {time}, {desk}. {code_sms}"
		  "Reply YES to keep it, NO to cancel. Ref {reference}",
		  "The office moved your visit: {day} {time}, {desk}. {code_sms}"
		  "Cancel: {cancel_url}" },
	},
	[NOTIFY_MOVE_KEPT] = {
		{ "Wizyta w nowym terminie",
		  "Dzień dobry,\n\n"
		  "dziękujemy za odpowiedź. Wizyta pozostaje w nowym terminie:\n\n"
		  "Termin: {when}\n"
		  "Usługa: {service}\n"
		  "Miejsce: {desk}\n"
		  "{office_lines_pl}"
		  "{code_line_pl}"
		  "Numer rezerwacji: {reference}\n\n"
		  "Bilet wirtualny:\n{ticket_url}\n\n"
		  "{office}\n",
		  "Dziekujemy. Wizyta zostaje: {day} {time}, {desk}. {code_sms}"
		  "Nr {reference}" },
		{ "Your visit at the new time",
		  "Hello,\n\n"
		  "thank you for your answer. Your visit stays at the new time:\n\n"
		  "When: {when}\n"
		  "Service: {service}\n"
		  "Where: {desk}\n"
		  "{office_lines_en}"
		  "{code_line_en}"
		  "Booking reference: {reference}\n\n"
		  "Virtual ticket:\n{ticket_url}\n\n"
		  "{office}\n",
		  "Thank you. Your visit stays: {day} {time}, {desk}. {code_sms}"
		  "Ref {reference}" },
	},
	[NOTIFY_WAITLIST_JOINED] = {
		{ "Lista oczekujących: {service}, {date}",
		  "Dzień dobry,\n\n"
		  "zapisaliśmy Panią/Pana na listę oczekujących:\n\n"
		  "Usługa: {service}\n"
		  "Dzień: {date}{window}\n"
		  "Miejsce w kolejce: {position}\n"
		  "Numer zgłoszenia: {reference}\n\n"
		  "Gdy zwolni się pasujący termin, wyślemy go w wiadomości i"
		  " zarezerwujemy dla Pani/Pana na {within_in}: aby go przyjąć,"
		  " wystarczy odpowiedzieć TAK. Bez odpowiedzi termin dostanie"
		  " następna osoba z listy.\n\n"
		  "Aby zrezygnować z listy, odpowiedz NIE albo otwórz:\n"
		  "{leave_url}\n\n"
		  "Lista kończy się wraz z tym dniem.\n\n"
		  "{office}\n",
		  "Lista oczekujacych: {service} {day}. Miejsce w kolejce:"
		  " {position}. Gdy zwolni sie termin, napiszemy. Rezygnacja:"
		  " odpisz NIE. Nr {reference}",
		  "Lista oczekujacych: {service} {day}. Miejsce w kolejce:"
		  " {position}. Gdy zwolni sie termin, napiszemy. Rezygnacja:"
		  " {leave_url}" },
		{ "Waitlist: {service}, {date}",
		  "Hello,\n\n"
		  "you are on the waitlist:\n\n"
		  "Service: {service}\n"
		  "Day: {date}{window}\n"
		  "Place in line: {position}\n"
		  "Reference: {reference}\n\n"
		  "When a suitable time frees up, we will send it to you and hold"
		  " it for you for {within_in}: to take it, just reply YES (or"
		  " TAK). Without an answer it goes to the next person in line.\n\n"
		  "To leave the waitlist, reply NO (or NIE), or open:\n"
		  "{leave_url}\n\n"
		  "The waitlist ends with that day.\n\n"
		  "{office}\n",
		  "Waitlist: {service} {day}. Place in line: {position}. We will"
		  " text you when a time frees up. To leave, reply NO."
		  " Ref {reference}",
		  "Waitlist: {service} {day}. Place in line: {position}. We will"
		  " text you when a time frees up. To leave: {leave_url}" },
	},
	[NOTIFY_WAITLIST_LEFT] = {
		{ "Rezygnacja z listy oczekujących",
		  "Dzień dobry,\n\n"
		  "nie ma już Pani/Pana na liście oczekujących: {service},"
		  " {date}. Numer zgłoszenia: {reference}.\n\n"
		  "Wolne terminy można zarezerwować na stronie:\n{office_url}\n\n"
		  "{office}\n",
		  "Usunieto z listy oczekujacych: {service} {day}. Nr {reference}" },
		{ "You have left the waitlist",
		  "Hello,\n\n"
		  "you are no longer on the waitlist: {service}, {date}."
		  " Reference: {reference}.\n\n"
		  "You can book a free time at:\n{office_url}\n\n"
		  "{office}\n",
		  "You left the waitlist: {service} {day}. Ref {reference}" },
	},
	[NOTIFY_WAITLIST_OFFER] = {
		{ "Zwolnił się termin: {service}, {day} {time}",
		  "Dzień dobry,\n\n"
		  "zwolnił się termin, na który Pani/Pan czeka:\n\n"
		  "Usługa: {service}\n"
		  "Termin: {when}\n"
		  "Miejsce: {desk}\n"
		  "{office_lines_pl}"
		  "Numer rezerwacji: {reference}\n\n"
		  "Termin jest zarezerwowany dla Pani/Pana do godziny {until}."
		  " Aby go przyjąć, odpowiedz TAK w ciągu {within_for} albo"
		  " otwórz:\n{confirm_url}\n\n"
		  "Jeśli termin nie pasuje, odpowiedz NIE albo otwórz:\n"
		  "{cancel_url}\n\n"
		  "Bez odpowiedzi termin dostanie następna osoba z listy"
		  " oczekujących.\n\n"
		  "{office}\n",
		  "Zwolnil sie termin {service} {day} {time}, {desk}. Odpowiedz"
		  " TAK w ciagu {within_for}, aby go przyjac (NIE: rezygnacja)."
		  " Nr {reference}",
		  "Zwolnil sie termin {service} {day} {time}, {desk}. Przyjmij go"
		  " w ciagu {within_for}: {confirm_url}" },
		{ "A time has freed up: {service}, {day} {time}",
		  "Hello,\n\n"
		  "a time you are waiting for has freed up:\n\n"
		  "Service: {service}\n"
		  "When: {when}\n"
		  "Where: {desk}\n"
		  "{office_lines_en}"
		  "Booking reference: {reference}\n\n"
		  "It is held for you until {until}. To take it, reply YES (or TAK)"
		  " within {within_for}, or open:\n{confirm_url}\n\n"
		  "If it does not suit you, reply NO (or NIE), or open:\n"
		  "{cancel_url}\n\n"
		  "Without an answer it goes to the next person on the"
		  " waitlist.\n\n"
		  "{office}\n",
		  "A time has freed up: {service} {day} {time}, {desk}. Reply YES"
		  " within {within_for} to take it (NO to pass). Ref {reference}",
		  "A time has freed up: {service} {day} {time}, {desk}. Take it"
		  " within {within_for}: {confirm_url}" },
	},
	[NOTIFY_OFFER_DECLINED] = {
		{ "Termin przekazany dalej",
		  "Dzień dobry,\n\n"
		  "zgodnie z odpowiedzią termin {when} ({service}) przekazujemy"
		  " następnej osobie z listy oczekujących. Nie ma już Pani/Pana na"
		  " tej liście.\n"
		  "Numer rezerwacji: {reference}\n\n"
		  "Inne wolne terminy:\n{office_url}\n\n"
		  "{office}\n",
		  "Termin {day} {time} przekazany nastepnej osobie z listy."
		  " Nr {reference}" },
		{ "Time passed on",
		  "Hello,\n\n"
		  "as you answered, the time {when} ({service}) goes to the next"
		  " person on the waitlist. You are no longer on that waitlist.\n"
		  "Booking reference: {reference}\n\n"
		  "Other free times:\n{office_url}\n\n"
		  "{office}\n",
		  "The time {day} {time} goes to the next person in line."
		  " Ref {reference}" },
	},
	[NOTIFY_OFFER_LAPSED] = {
		{ "Minął czas na odpowiedź",
		  "Dzień dobry,\n\n"
		  "nie otrzymaliśmy odpowiedzi w ciągu {within_for}, więc termin"
		  " {when} ({service}) przekazaliśmy następnej osobie z listy"
		  " oczekujących. Nie ma już Pani/Pana na tej liście.\n"
		  "Numer rezerwacji: {reference}\n\n"
		  "Można zapisać się ponownie albo wybrać inny termin:\n"
		  "{office_url}\n\n"
		  "{office}\n",
		  "Minal czas na odpowiedz: termin {day} {time} dostala nastepna"
		  " osoba z listy. Nr {reference}" },
		{ "The time to answer has passed",
		  "Hello,\n\n"
		  "we had no answer within {within_for}, so the time {when}"
		  " ({service}) went to the next person on the waitlist. You are"
		  " no longer on that waitlist.\n"
		  "Booking reference: {reference}\n\n"
		  "You can join again or choose another time:\n{office_url}\n\n"
		  "{office}\n",
		  "No answer in time: {day} {time} went to the next person in"
		  " line. Ref {reference}" },
	},
	[NOTIFY_OFFER_GONE] = {
		{ "Ten termin jest już nieaktualny",
		  "Dzień dobry,\n\n"
		  "przykro nam: termin {when} ({service}) nie czeka już na"
		  " Panią/Pana. Czas na odpowiedź minął i termin przekazaliśmy"
		  " dalej.\n"
		  "Numer rezerwacji: {reference}\n\n"
		  "Aktualne wolne terminy:\n{office_url}\n\n"
		  "{office}\n",
		  "Przykro nam, termin {day} {time} jest juz nieaktualny (minal"
		  " czas na odpowiedz). Nr {reference}" },
		{ "This time is no longer available",
		  "Hello,\n\n"
		  "we are sorry: the time {when} ({service}) is no longer held for"
		  " you. The time to answer passed and it went to someone else.\n"
		  "Booking reference: {reference}\n\n"
		  "Free times now:\n{office_url}\n\n"
		  "{office}\n",
		  "Sorry, {day} {time} is no longer available (the time to answer"
		  " passed). Ref {reference}" },
	},
};

#endif
