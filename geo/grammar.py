"""The grammar around a control cue, in six languages: clause breaks, asides, relative clauses, lists,
passives, reference points, past and ended events, denials and the like.

geo/control.py decides what a cue says about which place; these are the words and shapes it looks for.
The cues themselves (captured, звільнили, s'est emparé ...) are data: data/control_cues.toml.
"""
from __future__ import annotations

import re

# Between two listed places: a short aside, then "and" ("Yampil, south-east of the town, and Drobysheve").
ASIDE_THEN_AND = re.compile(r"^\s*,[^,;.:()]{1,60},\s*(?:and|et|und|y|та|і|и|а\s+также)\s+(?:\w+\s+){0,2}$", re.IGNORECASE)

# Between two listed places: "and", "or", a comma, "as well as", a shared preposition ("near X and Y").
CONJUNCTION = re.compile(r"^[\s,;—–-]*(?:and|et|und|y|e|і|й|та|и|or|ou|або|или|,)?[\s,]*(?:а\s+также|as\s+well\s+as|ainsi\s+que)?\s*(?:near|around|in|at|in\s+the\s+area\s+of|près\s+de|autour\s+de|dans\s+(?:la\s+zone|le\s+secteur)\s+de|à|біля|поблизу|під|около|под|у|возле|в\s+районе|у\s+районі|в\s+районі|на\s+подступах\s+к)?\s*(?:поселку|селу|селища|village\s+of|village\s+de)?\s*(?:d.|l.|de|du|of|from|з|із|из|от|від|у|в|до|к)?\s*$",
                         re.IGNORECASE)

# Between a capital used as subject and its verb: "Moscou contrôle désormais", "Kyiv has retaken".
SUBJECT_GAP = re.compile(r"\s*(?:(?:now|has|have|had|was|is|were|are|a|désormais|maintenant|вже|уже|теперь|тепер)\s+)?")

# Words that make an actor a fighting force ("Russian troops"), not just an adjective ("the Russian border").
MILITARY = re.compile(
                      r"\b(?:forces|troops|army|units?\b|soldiers|military|brigade|marines|fighters|defenders|paratroop|assault|wagner|"
                      r"troupes|arm[ée]e|soldats|unit[ée]s|combattants|kr[äa]fte|truppen|armee|soldaten|tropas|fuerzas|ej[ée]rcito|"
                      r"військ|сил[иа]|армі|бійц|брига|підрозділ|зсу|захисник|окупант|рашист|ворог|десант|штурмовик|"
                      r"войск|сил[ыа]|арми|бойц|подразделен|всу|вс\s+рф|военн|группировк|вагнер)", re.IGNORECASE)

# "since June", "depuis la mi-juin", "з червня": a month that starts something still going on.
SINCE = re.compile(r"(?:since|depuis|seit|desde|з|із|с|от)\s+(?:the\s+|la\s+|le\s+|l.)?(?:mid-?|mi-|early\s+|late\s+|début\s+|fin\s+|середини\s+|середины\s+|початку\s+|начала\s+)?"
                   r"(?:(?:mois\s+d.|month\s+of|місяця|месяца)\s*)?\S*$",
                   re.IGNORECASE)

# The word right before a town in every `[reference] before` pattern: scanning is skipped for the others.
REFERENCE_LAST_WORDS = {
    "of", "from", "outside", "toward", "towards", "to", "between", "in", "at", "de", "du", "vers", "entre", "reliant", "von",
    "richtung", "a", "hacia", "від", "напрямку", "бік", "от", "направлении", "сторону", "південніше", "північніше",
    "східніше", "західніше", "південно-східніше", "північно-східніше", "південно-західніше", "північно-західніше", "южнее",
    "севернее", "восточнее", "западнее", "юго-восточнее", "северо-восточнее", "юго-западнее", "северо-западнее",
    "nördlich", "südlich", "östlich", "westlich", "району", "района", "area", "zone", "région", "region", "боку", "стороны",
    "из-под", "з-під", "direction", "с", "з", "із", "with", "and", "et", "à", "на", "до", "к",
}

# What ends a clause inside a sentence.
CLAUSE_BREAK = re.compile(r"[,;:()«»\"“”—–]")

# An auxiliary right before a cue makes it passive: "was retaken", "a été reprise", "було звільнено".
PASSIVE_MARK = re.compile(r"(?:\b(?:was|were|been|being|été|sont|est|fut|furent|wurden|wurde|fueron|fue|були|був|була|було|были|был|была|было)\s+(?:\w+\s+)?$)",
                          re.IGNORECASE)

# Cues that are passive by themselves: "вибиті", "driven", "chassés".
PASSIVE_PARTICIPLE = re.compile(r"^(?:вибит|выбит|витіснен|вытеснен|driven|expelled|chass[ée]|refoul[ée]|ousted|dislodged)",
                                re.IGNORECASE)

# Used with match(text, pos): no "^", which would only match at the real start of the text.
PASSIVE_AGENT = re.compile(r"\s*(?:\w+\s+){0,3}?(?:by|par|von|por|силами)\b", re.IGNORECASE)

# Between "withdrawal"/"retrait" and the side it names: "of the", "des troupes", "der Truppen".
GENITIVE_GAP = re.compile(r"\s*(?:of\s+the|of|des|du|de|d.|der|von)?\s*(?:(?:troupes|forces|soldats|unit[ée]s|troops|units|"
                          r"soldiers|truppen|einheiten|tropas|fuerzas|військ\w*|сил|войск\w*|підрозділ\w*|подразделен\w*)\s+)?",
                          re.IGNORECASE)

# Before a word of fighting: it is over or elsewhere ("after weeks of fighting", "to avoid encirclement", "far from the front").
ENDED = re.compile(r"(?:ending|ended|end\s+of|after|lift\w*|avoid\w*|escape|[ée]viter|fin\s+d[eu]|apr[èe]s|"
                   r"уникнути|уникаючи|після|завершен\w*|избежать|избегая|после|окончани\w*|far\s+from|loin\s+d[eu]s?|далеко\s+(?:от|від)|"
                   r"weit\s+(?:weg\s+)?von|lejos\s+de)\s+(?:\w+\s+){0,2}$",
                   re.IGNORECASE)

# Before "the loss of X": who admits the loss is who suffered it ("Russian bloggers acknowledged the loss of").
ADMITTED = re.compile(r"\b(?:acknowledg\w*|admit\w*|conced\w*|confirm\w*|reconn\w*|admis|admet\w*|einger[äa]umt|r[äa]umt\w*\s+ein|"
                      r"reconoc\w*|admiti\w*|визна\w*|призна\w*|підтверд\w*|подтверд\w*)\s+(?:\w+\s+){0,2}$", re.IGNORECASE)

# After "втрату X": "не визнали", "подтвердили" — the clause's subject is the loser.
ADMITTED_AFTER = re.compile(r"\s*(?:of\s+)?\S+(?:\s+\S+)?\s+(?:не\s+|not\s+)?(?:визна\w*|призна\w*|підтверд\w*|подтверд\w*)", re.IGNORECASE)

# Before a word of fighting: conceded ("despite the assaults", "попри штурми").
DESPITE = re.compile(r"\b(?:despite|in\s+spite\s+of|malgr[ée]|en\s+d[ée]pit\s+d[eu]|попри|незважаючи\s+на|несмотря\s+на|вопреки|trotz|"
                     r"a\s+pesar\s+de|pese\s+a)\s+(?:\w+\s+){0,3}$", re.IGNORECASE)

# Inside an "after ..." phrase: another event, not the fighting ("после отхода гарнизона бои ...").
OTHER_EVENT = re.compile(r"отход|відход|відступ|отступ|withdraw|retreat|retrait|repli|взяти|взятт|захоп|захват|capture|prise|"
                         r"fall|chute|падени|падінн|освобожд|звільн|liberat|lib[ée]ration", re.IGNORECASE)

# Loss cues that are nouns ("the fall of", "la chute de", "падіння"): the loser is named after them.
NOMINAL_LOSS = re.compile(r"(?:fall|chute|ca[íi]da|падени|падінн|d[ée]faite|defeat|поразк|поражени|втрат[аиу](?!л)|потер[яюи](?!л)|"
                          r"loss|perte|fall\s+von)", re.IGNORECASE)

# "..., including Strilecha", "notamment Pervomaiske", "в том числе Берислав": the place belongs to what came before.
INCLUDING = re.compile(r"\b(?:including|among\s+them|especially|particularly|notably|notamment|dont|en\s+particulier|surtout|"
                       r"y\s+compris|insbesondere|besonders|darunter|incluid[oa]s?|entre\s+ellos|especialmente|sobre\s+todo|"
                       r"в\s+том\s+числе|включая|особенно|в\s+частности|зокрема|у\s+тому\s+числі|включно\s+з|особливо)\b",
                       re.IGNORECASE)

# After a word of fighting: it has stopped ("бои прекратились", "fighting died down").
STOPPED = re.compile(r"\s*(?:\w+\s+)?(?:прекратил|закінчил|припинил|стихл|ended|stopped|ceased|died\s+down|ont\s+cess|"
                     r"se\s+sont\s+arr[êe]t|endeten|cesaron)", re.IGNORECASE)

# Nouns of capture whose object follows: "the capture of X", "взятие X", "la prise de X".
NOMINAL = re.compile(r"(?:ия|ие|ню|ння|ття|ttя|tion|ture|prise|chute|fall|падение|падіння|захват|захоплення|взяття|взятия|"
                     r"взятие|освобождения|освобождение|звільнення|reprise|capture)$", re.IGNORECASE)

# Slavic word order puts the object first: "окупантів вибили", "противника выбили" (the accusative, not a subject).
EXPELLED_OBJECT = re.compile(r"\b(?:окупантів|росіян|ворога|противника|загарбників|рашистів|оккупантов|россиян|врага|"
                             r"українських\s+військових|украинских\s+военных)\s+$", re.IGNORECASE)

# Nouns of an area, not a settlement: "the occupied part of the oblast", "les territoires occupés".
AREA_NOUNS = (r"(?:частин\w*|част[иьі]\w*|територі\w*|территори\w*|област\w*|район\w*|земл\w*|parts?|territor\w*|regions?|areas?|"
               r"lands?|zones?|partie|territoires?|r[ée]gions?|gebiet\w*|teile?|zona|parte|territorios?)")

AREA_NOUN_AFTER = re.compile(r"\s+" + AREA_NOUNS + r"\b", re.IGNORECASE)

AREA_NOUN_BEFORE = re.compile(r"\b" + AREA_NOUNS + r"\s+$", re.IGNORECASE)

# "from" right before a cue: "attacks from positions near X" (the positions are the attacker's).
FROM = re.compile(r"\b(?:from|з|із|с|со|depuis|von|aus|desde)\s+$", re.IGNORECASE)

# Slavic participles before their noun: "занятый (российскими войсками) Бердянск", "звільнене село".
PARTICIPLE = re.compile(r"(?:[ая]нн|ен|т)(?:ый|ий|ая|ое|ую|ого|ой|ом|ому|ыми|ими|ні|ний|на|не|ного|ної|ному|ним|ній)$",
                        re.IGNORECASE)

# After a withdrawal cue: where the troops went ("pulled back to Lysychansk", "to new positions near X").
DESTINATION = re.compile(r"^[\s,]*(?:\w+\s+){0,4}?(?:(?:to|towards|into|vers|sur|jusqu.|до|к|на|в\s+бік|в\s+сторону|nach|hacia)\s+"
                         r"(?:\w+\s+){0,4}|(?:positions?|posiciones|позиці\w+|позици\w+|рубеж\w*|lines?|lignes?)\s+(?:\w+\s+){0,4}?"
                         r"(?:near|around|cerca\s+de|près\s+de|біля|поблизу|возле|около|у)\s+)$", re.IGNORECASE)

# Right after a name: a relative clause that speaks of it ("Bakhmut, which ...", "Ізюм, який ...").
RELATIVE = re.compile(
                      r"\s*(?:,[^,;.:()]{1,60})?,\s*(?:which|that|who|where|whose|qui|que|qu.|dont|o[ùu]|lequel|laquelle|der|die|das|wo|que|donde|"
                      r"який|яка|яке|які|якого|якої|яку|котр\w+|де|куди|которы\w*|которо\w*|котор\w+|где|куда)\b", re.IGNORECASE)

# ", " or ", a town " / ", localité " before a participle or adjective that describes the place just named.
APPOSITIVE = re.compile(r"\s*,\s*(?:(?:an?|the|une?|la|le|eine?|una?)\s+)?(?:(?:small|petite?|kleine?|peque[ñn]a|мал\w+|невелик\w+)\s+)?"
                        r"(?:(?:town|city|village|hamlet|settlement|localit[ée]|ville|bourg|bourgade|stadt|dorf|ciudad|pueblo|"
                        r"localidad|місто|містечко|село|селище|город|городок|поселок|посёлок)\s+)?", re.IGNORECASE)

# Fighting said to go on in the place a capture was just claimed for: "fighting there was continuing",
# "бої за село тривають", "les combats s'y poursuivent".
STILL_FOUGHT = re.compile(
                          r"(?:fighting|battles?|clashes)\s+(?:there|in\s+the\s+(?:village|town|city)|for\s+(?:the\s+)?(?:village|town|city|it))\s+"
                          r"(?:(?:was|is|were|are|has\s+been|had\s+been)\s+)?(?:still\s+)?(?:continu|ongoing|rag)|"
                          r"combats\s+(?:s.y\s+poursuiv|y\s+continu|continuent\s+(?:dans\s+la\s+(?:ville|localit[ée]|village)|sur\s+place))|"
                          r"(?:бої|бои)\s+(?:за\s+(?:село|місто|селище|город|поселок|посёлок|нього|него)|там|в\s+(?:селе|городе|поселке)|у\s+(?:селі|місті|селищі))\s+"
                          r"(?:трива|продолжа|йдуть|идут|трива)|"
                          r"kämpfe\s+(?:dort|um\s+(?:den\s+ort|die\s+stadt|das\s+dorf))\s+(?:dauern|gehen)|street\s+(?:fighting|battles)|"
                          r"(?:вуличн\w*|уличн\w*)\s+бо\w*|combats\s+de\s+rue|stra(?:ß|ss)enk[äa]mpf\w*|combates\s+callejeros|combates\s+(?:all[íi]\s+)?contin[úu]an\s+(?:all[íi]|en\s+la\s+(?:ciudad|localidad))",
                          re.IGNORECASE)

# Before a reference point: a direction or distance ("north of", "20 km from", "к северу от").
COMPASS = re.compile(r"(?:north|south|east|west|km|kilomet|miles|nord|sud|est|ouest|півн|півд|схід|східн|захід|західн|"
                     r"север|юг|южн|восток|восточн|запад|кілометр|километр|nördlich|südlich|östlich|westlich|norte|sur|este|oeste)",
                     re.IGNORECASE)

# Gender of Slavic relative pronouns, to tell which name a clause speaks of.
PRONOUN_GENDER = {"которая": "f", "которую": "f", "которой": "f", "яка": "f", "яку": "f", "якої": "f", "якій": "f",
                   "которое": "n", "яке": "n", "который": "m", "которого": "m", "котором": "m", "которому": "m",
                   "який": "m", "якого": "m", "якому": "m"}

# Gender of the settlement nouns an aside may use ("город к северу от Донецка, который").
_NOUN_GENDER_WORDS = {"город": "m", "городок": "m", "поселок": "m", "посёлок": "m", "село": "n", "селище": "n", "місто": "n",
                "містечко": "n", "деревня": "f", "станица": "f", "станиця": "f"}
NOUN_GENDER = [(re.compile(rf"\b{word}\b", re.IGNORECASE), gender) for word, gender in _NOUN_GENDER_WORDS.items()]

# A clause that turns to something else: a cue does not reach across "tandis que", "while", "а".
CONTRAST = re.compile(r",\s*(?:tandis\s+qu|alors\s+qu|while\b|whereas\b|but\b|mais\b|а\b|але\b|но\b|однак|однако\b|"
                      r"тогда\s+как|тоді\s+як|während\b|mientras\b|pero\b)", re.IGNORECASE)

# Between a cue and a place: only its edge ("закрепились на окраинах Торецка").
OUTSKIRTS = re.compile(r"\b(?:outskirts|edge|fringes|p[ée]riph[ée]rie|abords|lisi[èe]re|окраин\w*|околиц\w*|stadtrand\w*|afueras|periferia)\b",
                       re.IGNORECASE)

# Before a cue: the claim was confirmed, so doubt words later in the sentence do not undo it.
CONFIRMED = re.compile(r"\b(?:acknowledg\w*|admitted|confirmed|conceded|reconnu|confirm[ée]|bestätigt\w*|einger[äa]umt|confirm[óo]|"
                       r"reconoci[óo]|визнал\w*|визнав|підтвердил\w*|підтвердив|признал\w*|подтвердил\w*)\b", re.IGNORECASE)

# The verb left out of a second clause: "Selydove fell in late October and Novohrodivka in early September",
# "захопили Рубіжне, а на початку травня — Попасну".
GAP_AFTER_VERB = re.compile(r"\s*(?:[\w-]+\s+){0,3}?,?\s*(?:et|and|und|y|а|и|і|та)\s+(?:[\w-]+\s+){0,2}?(?:[—–]\s*)?", re.IGNORECASE)

# Between an object and a second one sharing its verb: "захопили Рубіжне, а в травні — Попасну", "Ourojaïne, après Staromaïorske".
GAP_AFTER_OBJECT = re.compile(r"\s*(?:[\w-]+\s+){0,3}?(?:[\w-]+)?,?\s*(?:(?:а|и|і|та|and|et)\s+(?:[\w-]+\s+){1,4}[—–]|"
                              r"apr[èe]s|after|після|после|avant|before|puis|then)\s*", re.IGNORECASE)

# ", a town on the northern outskirts of", ", вплотную примыкающую к", ", una ciudad situada junto a": the start of an aside
# that describes the place before it.
APPOSITIVE_ASIDE = re.compile(
    r"\s*[,—–]\s*(?:(?:a|an|the|une?|la|le|el|una?|eine?)\s+)?(?:[\w-]+\s+){0,2}?"
    r"(?:town|city|village|hamlet|settlement|ville|localit[ée]|bourg|ciudad|localidad|pueblo|stadt|dorf|місто|село|селище|"
    r"город|поселок|посёлок|situ[ée]e?s?|located|lying|situad[oa]|ubicad[oa]|gelegen\w*|розташован\w*|расположенн?\w*|"
    r"примыкающ\w*|прилегающ\w*|вплотную)\b[^,;:()]{0,100}", re.IGNORECASE)

# Between a noun-like cue and the name it governs: no clause break and no other name ("взятия в начале октября Угледара").
BREAK_OR_NAME = re.compile(r"[,;:()—–]|\b[A-ZА-ЯІЇЄҐ]")

# Right before "confirmed": a negation ("did not confirm", "не підтвердили").
NEGATED_BEFORE = re.compile(r"(?:\bnot|n.t|\bне|\bpas|\bnicht|\bno)\s+(?:\w+\s+)?$", re.IGNORECASE)
