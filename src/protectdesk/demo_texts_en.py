"""English templates of the demo's generated incidents and plans (fictional; see demo_texts)."""

from __future__ import annotations

from protectdesk.demo_texts import C, PlanTemplate, Texts, V, Variant

P, D = "physical", "digital"

VARIANTS = {
    "surveillance": (
        Variant(
            P,
            "Surveillance outside the office",
            "{Who} stayed {time} outside {place}, photographing everyone who came in or out. "
            "They left when more members of {group} arrived.",
            "office",
        ),
        Variant(
            P,
            "Strangers asking neighbours about {subject}",
            "{Who} asked neighbours near {place} when {subject} usually leaves home, who else "
            "lives there and which car they drive. They claimed to be doing a survey.",
            "home",
        ),
        Variant(
            D,
            "Phone suspected to be tapped",
            "At a meeting, an official repeated word for word a private call {subject} had made "
            "the day before. Since then the phone runs hot and the battery drains fast.",
        ),
    ),
    "stalking": (
        Variant(
            P,
            "Followed home by a motorbike",
            "{Who} followed {subject} {time} from {place} all the way home, always keeping the "
            "same distance. The next day they rode past the house twice.",
            "road",
        ),
        Variant(
            P,
            "A car followed the taxi",
            "A grey car followed the taxi {subject} took from {place}; it changed lanes each time "
            "the taxi did and stopped half a block from the destination.",
            "public",
        ),
    ),
    "intimidation": (
        Variant(
            D,
            "Silent calls at night",
            "{Subject} received calls from a hidden number {time} for a week; nobody spoke and "
            "the caller hung up as soon as they answered.",
        ),
        Variant(
            P,
            "Intimidating note under the door",
            "Someone slipped a handwritten note under the door of {place}: “we know what you "
            "do and who you meet”.",
            "office",
        ),
        Variant(
            P,
            "Held and warned at a checkpoint",
            "At a checkpoint near {place}, {who} held {subject} for an hour, photographed their "
            "ID and told them to “be careful”.",
            "road",
        ),
    ),
    "death_threat": (
        Variant(
            D,
            "Death threat by text message",
            "{Subject} received a text from an unknown number: “stop poking your nose where "
            "it does not belong or you will die”.",
        ),
        Variant(
            D,
            "Threatening phone call",
            "A man's voice called {subject} {time} and said their days were numbered if the "
            "complaints went on.",
        ),
        Variant(
            P,
            "Leaflet with a death threat",
            "A leaflet appeared at {place} naming {subject} and three other members of {group} "
            "as “next in line”.",
            "public",
        ),
    ),
    "other_threat": (
        Variant(
            P,
            "Warning passed through a relative",
            "{Who} approached a relative of {subject} at {place} and told them to talk "
            "their relative into dropping the work “for everyone's good”.",
            "home",
        ),
        Variant(
            D,
            "Threat posted on social media",
            "An anonymous account posted a photo of {place} captioned “we know where you meet; "
            "don't say you were not warned”.",
            "office",
        ),
    ),
    "stigmatisation": (
        Variant(
            D,
            "Red-tagging on social media",
            "Several accounts posted at the same hour that {group} is a front for armed rebels "
            "and is paid by foreigners to block development.",
        ),
        Variant(
            P,
            "Official brands {subject} on local radio",
            "In an interview on local radio, an official called {subject} an “enemy of "
            "development” and demanded an inquiry into the finances of {group}.",
        ),
        Variant(
            P,
            "Defamatory posters in town",
            "Posters went up near {place} accusing {subject} of lying to the community to get "
            "donor money.",
            "public",
        ),
    ),
    "online_harassment": (
        Variant(
            D,
            "Online harassment campaign",
            "For several days {subject} received dozens of insults and hateful comments under "
            "every post, almost all from accounts created that same month.",
        ),
        Variant(
            D,
            "Personal details posted online",
            "An anonymous account posted personal details of {subject}, the neighbourhood where "
            "they live and their son's name, with insults and “so everyone knows”.",
        ),
    ),
    "digital_attack": (
        Variant(
            D,
            "Attempts to break into the email account",
            "{Subject} got alerts of repeated sign-in attempts on their email {time}, from abroad; "
            "whoever tried knew an old password.",
        ),
        Variant(
            D,
            "Organisation's page hijacked",
            "The social media page of {group} was taken over; fake posts went out for two days "
            "before it was recovered.",
        ),
        Variant(
            D,
            "Email with spyware attached",
            "{Group} received an email posing as a court summons with an attachment; a trusted "
            "technician confirmed it was spyware.",
        ),
    ),
    "judicial_harassment": (
        Variant(
            P,
            "Criminal complaint for trespass",
            "A criminal complaint for trespass was filed against {subject} and two other members "
            "of {group}; it repeats almost word for word a statement by their opponents.",
            only=("land",),
        ),
        Variant(
            P,
            "Summoned for questioning",
            "{Subject} was summoned for questioning in an investigation for “incitement” "
            "opened after the protest at {place}.",
            "public",
        ),
        Variant(
            P,
            "Defamation lawsuit",
            "A local businessman sued {subject} for defamation over press interviews, claiming "
            "damages no one could pay.",
        ),
    ),
    "arbitrary_detention": (
        Variant(
            P,
            "Arrested during a protest",
            "Police arrested {subject} and four others during the protest at {place}; the group "
            "was released without charge the next day, with no explanation.",
            "public",
        ),
        Variant(
            P,
            "Held at a checkpoint for hours",
            "{Who} held {subject} for six hours at a checkpoint near {place} and took their phone, "
            "with no warrant and no explanation.",
            "road",
        ),
    ),
    "physical_attack": (
        Variant(
            P,
            "Attacked on the road",
            "{Who} stopped {subject} {time} near {place} and beat them with sticks, shouting to "
            "stop “stirring people up”.",
            "road",
        ),
        Variant(
            P,
            "Violence at a meeting",
            "A group stormed the meeting of {group} at {place}, threw stones and beat two people; "
            "one needed treatment at the health centre.",
            "office",
        ),
    ),
    "raid": (
        Variant(
            P,
            "Office raided",
            "{Who} entered {place} {time}, went through the files and took two computers and "
            "hard drives. They showed no warrant.",
            "office",
        ),
        Variant(
            P,
            "Targeted break-in at the office",
            "The door of {place} was forced: only the laptops and USB sticks were taken; the "
            "cash box was left untouched.",
            "office",
        ),
    ),
    "property_damage": (
        Variant(
            P,
            "Crops set on fire",
            "Part of the fields of {group} near {place} were set on fire {time}; neighbours saw "
            "{who} leaving.",
            "road",
            only=("land",),
        ),
        Variant(
            P,
            "Organisation's vehicle vandalised",
            "The vehicle of {group} was found outside {place} with slashed tyres and smashed "
            "windows.",
            "office",
        ),
    ),
    "attack_on_family": (
        Variant(
            P,
            "Son beaten outside school",
            "The son of {subject} was beaten outside school by {who}, who told him to “pass a "
            "message” to his family.",
            "home",
        ),
        Variant(
            P,
            "Relative's home broken into",
            "{Who} broke into the home of the mother of {subject} {time}, smashed furniture and "
            "asked where the papers of {group} are kept.",
            "home",
        ),
    ),
    "economic_pressure": (
        Variant(
            P,
            "Dismissed after speaking out",
            "The employer dismissed {subject} a week after they spoke at the public meeting; the "
            "official reason was “restructuring”.",
        ),
        Variant(
            P,
            "Buyers boycott the harvest",
            "Traders in the area refuse to buy the harvest of families of {group}; one said it "
            "was “orders from above”.",
            only=("land",),
        ),
    ),
    "administrative_restriction": (
        Variant(
            P,
            "Registration of the organisation refused",
            "The registrar refused for the third time to renew the registration of {group}, "
            "asking for papers no other organisation is asked for.",
        ),
        Variant(
            P,
            "Bank accounts frozen",
            "The bank froze the accounts of {group} without explanation; the funds of a project "
            "were blocked for six weeks.",
        ),
    ),
    "suspicious_event": (
        Variant(
            P,
            "Drone over the meeting",
            "A drone flew over {place} {time} during the meeting of {group}; nobody knew who was "
            "flying it.",
            "office",
        ),
        Variant(
            P,
            "Fake census officers asking for names",
            "Two people claiming to be census officers asked for the names of the members of "
            "{group}; the census office says it sent nobody.",
            "home",
        ),
        Variant(
            P,
            "Unknown car parked for hours",
            "A car with tinted windows stayed parked for hours near {place}; nobody got out.",
            "home",
        ),
    ),
    "eviction": (
        Variant(
            P,
            "Attempted eviction with a bulldozer",
            "{Who} came {time} with a bulldozer to {place} and flattened two houses; they spoke "
            "of an eviction order they never showed.",
            "road",
        ),
    ),
    "attempted_killing": (
        Variant(
            P,
            "Shots fired at the house",
            "Several shots were fired at the house of {subject} {time}; nobody was hurt. Bullet "
            "casings were left at the gate.",
            "home",
        ),
    ),
}

TEXTS = Texts(
    variants=VARIANTS,
    who=(
        "two men on a motorbike",
        "two plain-clothes men",
        "three men in balaclavas",
        "men in an unmarked pickup",
        "two strangers",
        "several armed men",
    ),
    times=(
        ("before dawn", 1, 5),
        ("early in the morning", 6, 8),
        ("mid-morning", 9, 11),
        ("around noon", 12, 13),
        ("in the afternoon", 14, 17),
        ("at dusk", 18, 19),
        ("late at night", 20, 23),
    ),
    consequences={
        P: (
            "{Subject} stopped going out alone for two weeks.",
            "Visits to the villages are suspended until further notice.",
            "The planned assembly was postponed by a month.",
            "Fear in the family; the children stayed home from school for several days.",
            "Medical costs and a week without work.",
            "Several people stopped coming to the meetings of {group}.",
        ),
        D: (
            "The phone number had to be changed.",
            "Constant fear: unknown numbers go unanswered now.",
            "{Subject} closed their social media accounts for a while.",
            "Mistrust inside {group} about who leaked the information.",
        ),
    },
    reactions={
        P: (
            "The alert network was activated and the protection desk informed.",
            "Routes and schedules changed for two weeks.",
            "The incident was documented with photos and witness statements.",
            "Members of {group} now accompany every trip.",
            "The parish and international observers were informed.",
        ),
        D: (
            "Passwords changed and two-step verification turned on.",
            "Screenshots kept and the account reported to the platform.",
            "A trusted technician checked the phone.",
        ),
    },
    analyses=(
        "Same week as the court hearing: looks meant to demobilise {group}.",
        "Known pattern: incidents rise before each assembly.",
        "Unclear whether it is linked to the work; keep watching.",
        "The level of detail suggests information from someone close to the group.",
        "Looks like a warning rather than an intent to act; check whether it repeats.",
    ),
    authority={
        "no_response": ("Complaint lodged at the police station; no response.",),
        "investigation": (
            "Police opened an investigation and took statements from two witnesses.",
        ),
        "dismissed": ("The complaint was closed within a month “for lack of evidence”.",),
        "protection": ("Protection measures granted: police patrols twice a week.",),
        "hostile": ("Officers refused to take the complaint and questioned the work of {group}.",),
    },
    sources=(
        "A neighbour who saw it from her window.",
        "Account of {subject} by phone the same day.",
        "A member of {group} who was there.",
        "A local journalist who covered it.",
    ),
    plans=(
        PlanTemplate(
            "Physical attack while travelling",
            4,
            4,
            5,
            (
                ("exposure", V, 4, "Frequent trips on roads with no signal."),
                ("field_work", V, 4, "Village visits without warning anyone."),
                ("community", C, 4, "The community accompanies trips."),
                ("networks", C, 2, ""),
            ),
            (
                "No more attacks on the roads.",
                "Trips alone and out of contact.",
                "Community accompaniment and an alert network.",
            ),
            (
                ("Accompany every trip for three months.", "protection", "{Group}"),
                (
                    "Request protection measures from the authorities.",
                    "deterrence",
                    "Protection desk",
                ),
                ("Check in by phone on leaving and arriving.", "protection", "{Subject}"),
            ),
            ("field_trips",),
            ("physical_attack",),
        ),
        PlanTemplate(
            "Criminalisation of members",
            3,
            4,
            4,
            (
                ("legal", V, 4, "No lawyer of their own."),
                ("media_image", V, 3, "Their side rarely reaches the press."),
                ("networks", C, 3, "Contacts with a human rights lawyers' network."),
            ),
            (
                "The complaints and the smear campaign.",
                "No legal defence and no public voice.",
                "Lawyers' networks and allied organisations.",
            ),
            (
                ("Find lawyers for the people charged.", "protection", "Protection desk"),
                (
                    "Letter from allied organisations to the prosecutor.",
                    "deterrence",
                    "Protection desk",
                ),
                ("Public statement explaining the work of {group}.", "acceptance", "{Group}"),
            ),
            ("public_statements",),
            ("arrest_detention",),
        ),
        PlanTemplate(
            "Theft of sensitive information",
            3,
            3,
            4,
            (
                ("information_security", V, 4, "Case files unencrypted."),
                ("office_home", V, 3, "No alarm at the office."),
                ("organisation", C, 3, "The team took a digital security training."),
            ),
            (
                "Break-ins and access to the information of the people they support.",
                "Unencrypted computers with no backups.",
                "A team willing to change habits.",
            ),
            (
                (
                    "Encrypt the disks and keep backups away from the office.",
                    "protection",
                    "{Group}",
                ),
                ("New locks and an alarm.", "protection", "{Group}"),
                ("Agree who keeps the case files.", "protection", "Protection desk"),
            ),
            ("information", "office_home"),
            ("raid", "digital_compromise"),
        ),
    ),
    contact="Protection desk (fictional): +254 000 000 000",
    decider="The members' assembly, with the protection desk.",
    statement="Statement (fictional) about “{title}”, {day}.\n\n{narrative}\n",
    screenshot=("Unknown number", "Stop poking your nose where", "it does not belong."),
)
