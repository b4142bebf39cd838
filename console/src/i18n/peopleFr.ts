/**
 * French words of the people pages (issue 16 parts 1, 4 and 5: second factor, members and
 * passes, booking rules), kept apart from fr.ts so parallel work merges cleanly; fr.ts spreads
 * them in, and peopleEn.ts must hold the same keys.
 */
export const peopleFr = {
  "people.confirmQuestion": "Confirmez, avec la raison :",
  "people.confirmRevoke": "Confirmer la révocation",
  "people.confirmEnd": "Confirmer la fin du pass",
  "people.uidEnd": "Fin de l'identifiant",
  "people.someone": "un membre de l'équipe",
  "people.operator": "l'administrateur (ligne de commande)",
  "people.system": "le système",
  "people.you": "vous",
  "people.givenBy": "Donné par",
  "people.ended": "terminé le",
  "people.expired": "expiré",
  "people.endPass": "Mettre fin",
  "people.endPassNamed": "Mettre fin au pass {name}",
  "people.endReason": "Fin d'abonnement",
  "people.passEnded": "Pass terminé. Les portes le savent au prochain paquet de règles.",
  "people.givePass": "Donner un pass",
  "people.passGiven": "Pass donné.",
  "people.memberHint": "Nom ou e-mail du membre",
  "people.noMemberMatches": "Aucun membre ne correspond à « {text} ».",
  "people.severalMembers": "Plusieurs membres correspondent : {names}. Tapez l'e-mail.",
  "people.import": "Importer des membres (CSV)",
  "people.importFile": "Fichier CSV",
  "people.importHint":
    "Une ligne d'en-tête : nom, e-mail, centre (identifiant), langue (fr, en, nl, de). Virgule ou point-virgule.",
  "people.importPreview": "Vérifier le fichier",
  "people.importConfirm": "Importer ces membres",
  "people.importTooBig": "Le fichier fait {size} Mo : 1 Mo au plus. Découpez-le.",
  "people.importReady":
    "{count} membre(s) prêt(s) à importer. Rien n'est écrit avant la confirmation.",
  "people.importProblems":
    "{count} problème(s) : corrigez le fichier et vérifiez-le à nouveau. Rien n'a été importé.",
  "people.importRows": "Membres du fichier ({count})",
  "people.imported": "{count} membre(s) importé(s).",
  "people.wholeFile": "Fichier",
  "people.line": "Ligne {line}",
  "people.lineNumber": "Ligne",
  "people.code": "Code de l'application d'authentification",
  "people.codeHint": "Six chiffres, ou un code de secours.",
  "people.codeAsked":
    "Ce compte a une double authentification : tapez le code de votre application.",
  "people.codeWrong": "Ce code ne convient pas. Tapez le code affiché maintenant.",
  "people.factorTitle": "Double authentification",
  "people.factorIntro":
    "Ajoutez un code d'une application d'authentification (FreeOTP, Aegis…) à votre mot de passe.",
  "people.factorStart": "Activer la double authentification",
  "people.factorScan":
    "Ajoutez ce compte dans l'application (lien ci-dessous sur le téléphone, ou la clé à taper), puis tapez le premier code.",
  "people.factorOpenApp": "Ouvrir dans l'application d'authentification",
  "people.factorKey": "Clé (affichée une seule fois) :",
  "people.factorConfirm": "Activer avec ce code",
  "people.factorOn": "Double authentification activée.",
  "people.factorCodesIntro":
    "Codes de secours, chacun utilisable une fois si le téléphone est perdu. Notez-les maintenant : ils ne seront plus affichés.",
  "people.factorCodesSaved": "J'ai noté ces codes",
  "people.factorEnabled": "Activée. Codes de secours restants : {count}.",
  "people.factorRemove": "Retirer la double authentification",
  "people.factorRemoved": "Double authentification retirée.",
  "people.repeat": "Répéter",
  "people.repeatNone": "Une seule fois",
  "people.repeatWeeks": "Chaque semaine, {count} semaines",
  "people.seriesDone": "{name} réservé {count} fois. Semaines déjà prises : {skipped}.",
  "people.freeOf": "{free} sur {total} {kind} libres",
  "people.seatsOf.desk": "postes",
  "people.seatsOf.zone": "places",
  "people.seatsOf.room": "salles",
  "people.alreadyBooked":
    "Vous avez déjà une réservation de {name} à ce moment-là : une seule à la fois par personne.",
  "people.seatsLeft": "{free} places libres sur {total}",
} as const;
